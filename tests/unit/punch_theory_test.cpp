// Hole-punching theory: which pairs of NAT classes connect, and why not.
#include <gtest/gtest.h>

#include "core/punch/punch_theory.hpp"

using namespace natlab;

TEST(PunchTheory, TheClassicTable) {
    const MappingFiltering full = classic_behaviour(NatType::full_cone),
                           restricted = classic_behaviour(NatType::restricted_cone),
                           port = classic_behaviour(NatType::port_restricted_cone),
                           sym = classic_behaviour(NatType::symmetric);
    for (auto other : {full, restricted, port, sym}) {
        EXPECT_TRUE(punch_works(full, other));
        EXPECT_TRUE(punch_works(other, full));
    }
    EXPECT_TRUE(punch_works(restricted, restricted));
    EXPECT_TRUE(punch_works(restricted, port));
    EXPECT_TRUE(punch_works(restricted, sym));
    EXPECT_TRUE(punch_works(port, port));
    EXPECT_FALSE(punch_works(port, sym));
    EXPECT_FALSE(punch_works(sym, port));
    EXPECT_FALSE(punch_works(sym, sym));
    // One way through is still no conversation: port-restricted x symmetric fails both ways.
    EXPECT_FALSE(punch_reaches(port, sym));
    EXPECT_FALSE(punch_reaches(sym, port));
    // A public peer (no NAT) reaches anyone whose NAT it was told about, except a symmetric
    // NAT that filters by port.
    EXPECT_TRUE(punch_works(std::nullopt, port));
    EXPECT_TRUE(punch_works(std::nullopt, sym));
}

TEST(PunchTheory, ABareBoxMakesARaceOnlyWhereTheLostPortMatters) {
    const PunchModel port{classic_behaviour(NatType::port_restricted_cone)};
    const PunchModel full{classic_behaviour(NatType::full_cone)};
    const PunchModel sym{classic_behaviour(NatType::symmetric)};
    PunchModel bare = port;
    bare.firewall = false;
    EXPECT_EQ(punch_expectation(port, port), PunchExpectation::works);
    // Losing the port makes the box map per destination: fine against a
    // full cone, fatal against a port-restricted cone.
    EXPECT_EQ(punch_expectation(bare, port), PunchExpectation::race);
    EXPECT_EQ(punch_expectation(bare, bare), PunchExpectation::race);
    EXPECT_EQ(punch_expectation(bare, full), PunchExpectation::works);
    EXPECT_EQ(punch_expectation(bare, sym), PunchExpectation::fails);
    PunchModel bare_full = full;
    bare_full.firewall = false;  // its filtering takes the early packet in
    EXPECT_EQ(punch_expectation(bare_full, port), PunchExpectation::works);
    EXPECT_EQ(punch_expectation(std::nullopt, bare), PunchExpectation::works);
}
