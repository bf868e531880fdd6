// Hole-punching theory: which pairs of NAT classes connect, and why not.
#include <gtest/gtest.h>

#include "core/nat/ipv6_classes.hpp"
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

namespace {

// The theory's model of a NAT node's IPv6 side, as punch builds it.
PunchModel ipv6_model(Ipv6Mode mode, Dependence filtering, bool firewall = true) {
    Ipv6Side side;
    side.mode = mode;
    side.behaviour.mf.filtering = filtering;
    side.behaviour.firewall = firewall;
    if (mode == Ipv6Mode::nat66) side.behaviour.mf = classic_behaviour(NatType::symmetric);
    NatBehaviour b = ipv6_effective_behaviour(side);
    return {b.mf, b.firewall};
}

}  // namespace

TEST(PunchTheory, TwoRfc6092FirewallsConnectBySimultaneousOpen) {
    // No translation: each host's packets leave from its own endpoint, the
    // one the rendezvous saw, so each firewall's state admits the other's
    // packets whatever the filtering, and no early packet reaches a NAT's own
    // stack (it is for the inside host): never a race.
    const Dependence all[] = {Dependence::endpoint_independent, Dependence::address_dependent,
                              Dependence::address_and_port_dependent};
    for (Dependence a : all) {
        for (Dependence b : all) {
            EXPECT_EQ(punch_expectation(ipv6_model(Ipv6Mode::firewall, a),
                                        ipv6_model(Ipv6Mode::firewall, b)),
                      PunchExpectation::works)
                << name_of(a) << " x " << name_of(b);
        }
    }
    // Open sides (routed, nptv6, the firewall off) connect with anyone but a
    // symmetric NAT66 that filters by port, as a full cone does.
    const PunchModel sym66 = ipv6_model(Ipv6Mode::nat66, Dependence::address_and_port_dependent);
    for (PunchModel open :
         {ipv6_model(Ipv6Mode::routed, Dependence::address_and_port_dependent),
          ipv6_model(Ipv6Mode::nptv6, Dependence::address_and_port_dependent),
          ipv6_model(Ipv6Mode::firewall, Dependence::address_and_port_dependent, false)}) {
        EXPECT_EQ(open.mf.filtering, Dependence::endpoint_independent);
        EXPECT_EQ(punch_expectation(open, sym66), PunchExpectation::works);
        EXPECT_EQ(punch_expectation(open, open), PunchExpectation::works);
    }
    // A firewall that filters by port against a symmetric NAT66 fails, as a
    // port-restricted cone does against a symmetric NAT; one that filters by
    // address alone lets the new port in.
    EXPECT_EQ(punch_expectation(
                  ipv6_model(Ipv6Mode::firewall, Dependence::address_and_port_dependent), sym66),
              PunchExpectation::fails);
    EXPECT_EQ(
        punch_expectation(ipv6_model(Ipv6Mode::firewall, Dependence::address_dependent), sym66),
        PunchExpectation::works);
}
