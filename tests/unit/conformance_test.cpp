// verify's conformance checks judged from what the sockets saw.
#include <gtest/gtest.h>

#include "core/probe/conformance.hpp"
#include "core/probe/verdict.hpp"

namespace natlab {
namespace {

Endpoint ep(const char* ip, std::uint16_t port) {
    return {*IpAddress::parse(ip), port};
}

TEST(Conformance, OwnershipCountsExternalEndpointsWithTwoOwners) {
    std::vector<OwnershipSample> samples = {
        {ep("10.0.1.2", 4000), ep("100.64.1.2", 4000)},
        {ep("10.0.1.254", 4000), ep("100.64.1.2", 4000)},  // the same external endpoint
        {ep("10.0.1.2", 4001), ep("100.64.1.2", 4001)},
        {ep("10.0.1.254", 4001), std::nullopt},  // refused: the range is full
    };
    Ownership o = judge_ownership(samples);
    EXPECT_EQ(o.endpoints, 4);
    EXPECT_EQ(o.mapped, 3);
    EXPECT_EQ(o.shared, 1);
    samples[1].seen = ep("100.64.1.2", 4002);
    EXPECT_EQ(judge_ownership(samples).shared, 0);
}

TEST(Conformance, AllocationFromASeries) {
    PortRange range{20000, 20009};
    EXPECT_EQ(judge_allocation({{30001, 30001}, {30500, 30500}}, range), PortAllocation::preserve);
    EXPECT_EQ(judge_allocation({{30001, 20008}, {30500, 20009}, {30007, 20000}}, range),
              PortAllocation::sequential);  // wraps inside the range
    EXPECT_EQ(judge_allocation({{30001, 20008}, {30500, 20003}}, range), PortAllocation::random);
    EXPECT_EQ(judge_allocation({{30001, 30001}, {30500, 20003}}, range), PortAllocation::random);
}

TEST(Conformance, RaceKeepsTheMappingOnlyWhenEverythingGotThrough) {
    RaceObservations seen;
    seen.mapped_before = ep("100.64.1.2", 4000);
    seen.peer_saw = ep("100.64.1.2", 4000);
    seen.answer_arrived = true;
    seen.mapped_after = ep("100.64.1.2", 4000);
    using enum Dependence;
    const MappingFiltering port{endpoint_independent, address_and_port_dependent};
    const MappingFiltering full{endpoint_independent, endpoint_independent};
    const MappingFiltering sym{address_and_port_dependent, address_and_port_dependent};
    EXPECT_TRUE(race_kept_mapping(seen, port));
    EXPECT_FALSE(race_kept_mapping(seen, full));  // a full cone must have let the early packet in
    seen.early_arrived = true;
    EXPECT_TRUE(race_kept_mapping(seen, full));
    EXPECT_FALSE(race_kept_mapping(seen, port));  // it should have been dropped
    seen.early_arrived = false;
    seen.peer_saw = ep("100.64.1.2", 4001);  // the host was given another port for the peer
    EXPECT_FALSE(race_kept_mapping(seen, port));
    EXPECT_TRUE(race_kept_mapping(seen, sym));  // as it should be there
    seen.answer_arrived = false;
    EXPECT_FALSE(race_kept_mapping(seen, sym));
}

TEST(Conformance, OnlyABareBoxLosesAMappingItsFilteringRefuses) {
    NatBehaviour b;  // endpoint-independent mapping, port-dependent filtering
    EXPECT_TRUE(race_keeps_mapping(b));
    b.firewall = false;
    EXPECT_FALSE(race_keeps_mapping(b));
    b.mf.filtering = Dependence::endpoint_independent;  // the early packet is the host's
    EXPECT_TRUE(race_keeps_mapping(b));
    b.mf = {Dependence::address_and_port_dependent, Dependence::address_and_port_dependent};
    EXPECT_TRUE(race_keeps_mapping(b));  // the peer gets a mapping of its own anyway
}

TEST(Conformance, Lifetimes) {
    NatBehaviour b;
    EXPECT_FALSE(lifetime_waitable(b));  // 30 s and 120 s
    EXPECT_EQ(declared_lifetime(b), "30 s; stream 120 s");
    b.udp_unreplied_timeout = 3;
    b.udp_established_timeout = 5;
    EXPECT_TRUE(lifetime_waitable(b));
    b.udp_established_timeout = 7;  // 2.2 s to become a stream, 7 s, 1 s after: over 10 s
    EXPECT_FALSE(lifetime_waitable(b));
    LifetimeObservations seen{true, {3, true, false}, {5, true, false}};
    EXPECT_EQ(judge_lifetime(seen), "3 s; stream 5 s");
    seen.answered_once.alive_after = true;
    seen.stream.alive_before = false;
    EXPECT_EQ(judge_lifetime(seen), "over 4 s; stream under 4 s");
}

TEST(Conformance, VerdictComparesEveryCheckAndSkipsWhatWasNotMeasured) {
    LabNode nat;
    nat.name = "nat0";
    nat.nat = NatNode{};
    nat.nat->behaviour.type = NatType::port_restricted_cone;
    NatMeasurement stun;
    stun.port_preservation = true;
    ConformanceObservations c;
    c.allocation = {{30001, 30001}, {30002, 30002}};
    c.race = {ep("100.64.1.2", 30003), false, ep("100.64.1.2", 30003), true,
              ep("100.64.1.2", 30003)};
    c.tcp = {ep("100.64.1.2", 30004), ep("100.64.1.2", 30004), ep("100.64.1.2", 30004), false,
             false};
    c.ownership = {{ep("10.0.1.2", 1), ep("100.64.1.2", 1)},
                   {ep("10.0.1.254", 1), ep("100.64.1.2", 1)}};
    auto j = verdict_json(nat, "c0", stun, c);
    EXPECT_EQ(j["mismatches"], nlohmann::json::array({"port_ownership"}));
    EXPECT_EQ(j["measured"]["port_ownership"], "overloaded");
    EXPECT_TRUE(j["measured"]["lifetime"].is_null());  // not waited: no mismatch
    EXPECT_EQ(j["ownership"]["shared"], 1);
    EXPECT_EQ(verified_properties(true).size(), 4u);
    EXPECT_EQ(verdict_json(nat, "c0", stun, std::nullopt)["measured"].size(), 5u);  // + classic
}

}  // namespace
}  // namespace natlab
