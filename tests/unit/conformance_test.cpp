// verify's conformance checks judged from what the sockets saw.
#include <gtest/gtest.h>

#include "core/probe/conformance.hpp"
#include "core/probe/lifetime_plan.hpp"
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
    LifetimeObservations seen{true, {3, true, false}, {5, true, false}};
    EXPECT_EQ(judge_lifetime(seen), "3 s; stream 5 s");
    seen.answered_once.alive_after = true;
    seen.stream.alive_before = false;
    EXPECT_EQ(judge_lifetime(seen), "over 4 s; stream under 4 s");
}

// verify --help promises lifetimes of up to 10 s: each of the two is
// measured from 2 s (a second either side) to 10 s, however long the wait.
TEST(Conformance, LifetimesFromTwoToTenSecondsAreWaitedFor) {
    auto waitable = [](int unreplied, int established) {
        NatBehaviour b;
        b.udp_unreplied_timeout = unreplied;
        b.udp_established_timeout = established;
        return lifetime_waitable(b);
    };
    for (auto [u, e] : {std::pair{2, 5}, {3, 5}, {5, 6}, {3, 3}, {5, 8}, {5, 10}, {10, 10}, {2, 2}})
        EXPECT_TRUE(waitable(u, e)) << u << "/" << e;
    for (auto [u, e] : {std::pair{1, 5}, {5, 1}, {11, 5}, {5, 11}, {30, 120}})
        EXPECT_FALSE(waitable(u, e)) << u << "/" << e;
    NatBehaviour one_to_one;
    one_to_one.one_to_one = *IpAddress::parse("10.0.1.2");
    one_to_one.udp_unreplied_timeout = one_to_one.udp_established_timeout = 5;
    EXPECT_FALSE(lifetime_waitable(one_to_one));  // nothing expires
    EXPECT_TRUE(lifetime_plan(one_to_one).empty());
}

// A UDP flow as conntrack keeps it (nf_conntrack_proto_udp): every packet
// gives it udp-timeout unreplied, or established once it is a stream; it
// becomes one with a packet more than 2 s after its first, once answered.
// Each exchange is a packet each way; the server's ask is one packet in.
struct ConntrackUdpModel {
    int unreplied, established;
    // Whether a flow of these exchanges is still reachable `silence_s` after the last.
    bool alive(const std::vector<double>& exchanges_s, double silence_s) const {
        double first = exchanges_s.front(), last = first;
        bool stream = false;
        for (double at : exchanges_s) {
            if (at - last >= (stream ? established : unreplied)) {
                first = at;  // it expired: a new flow, answered by this exchange
                stream = false;
            }
            stream = stream || at - first > 2.0;
            last = at;
        }
        return silence_s < (stream ? established : unreplied);
    }
};

LifetimeObservations follow(const std::vector<LifetimeProbe>& plan, const ConntrackUdpModel& nat) {
    LifetimeObservations seen{true, {nat.unreplied}, {nat.established}};
    for (const auto& p : plan) {
        LifetimeSample& sample = p.stream ? seen.stream : seen.answered_once;
        (p.before ? sample.alive_before : sample.alive_after) =
            nat.alive(p.exchanges_s, p.silence_s);
    }
    return seen;
}

// The plan measures what an independent client sees: a NAT that keeps the
// declared timeouts is judged to have them, for every lifetime waited for.
// (Streams made by one packet 2.2 s after the first died first where
// unreplied is 2 s, and measured "under 4 s" for a 5 s stream.)
TEST(Conformance, TheLifetimePlanFindsTheDeclaredTimeouts) {
    for (int u = 2; u <= kLongestLifetimeWaited; ++u)
        for (int e = 2; e <= kLongestLifetimeWaited; ++e) {
            NatBehaviour b;
            b.udp_unreplied_timeout = u;
            b.udp_established_timeout = e;
            auto plan = lifetime_plan(b);
            ASSERT_EQ(plan.size(), 4u);
            EXPECT_EQ(judge_lifetime(follow(plan, {u, e})), declared_lifetime(b)) << u << "/" << e;
            // A NAT whose bindings live a second too long or too short is told apart.
            EXPECT_NE(judge_lifetime(follow(plan, {u + 2, e})), declared_lifetime(b));
            EXPECT_NE(judge_lifetime(follow(plan, {u, e - 2})), declared_lifetime(b));
        }
}

TEST(Conformance, TheLifetimePlanAsksEachBindingAfterItsOwnSilence) {
    NatBehaviour b;
    b.udp_unreplied_timeout = 2;
    b.udp_established_timeout = 5;
    auto plan = lifetime_plan(b);
    ASSERT_EQ(plan.size(), 4u);
    // Answered once: one exchange, then a second short of 2 s, and a second past.
    EXPECT_FALSE(plan[0].stream);
    EXPECT_EQ(plan[0].exchanges_s, std::vector<double>{0});
    EXPECT_EQ((std::pair{plan[0].before, plan[0].silence_s}), (std::pair{true, 1.0}));
    EXPECT_EQ((std::pair{plan[1].before, plan[1].silence_s}), (std::pair{false, 3.0}));
    // Streams: busy past conntrack's 2 s, never silent long enough to expire
    // (or for the rules' 200 ms refresh gate to hide an exchange), then 4 s and 6 s.
    for (const auto& stream : {plan[2], plan[3]}) {
        EXPECT_TRUE(stream.stream);
        EXPECT_EQ(stream.exchanges_s.front(), 0);
        EXPECT_GT(stream.exchanges_s.back(), 2.0);
        for (std::size_t i = 1; i < stream.exchanges_s.size(); ++i) {
            double gap = stream.exchanges_s[i] - stream.exchanges_s[i - 1];
            EXPECT_LT(gap, 1.0);
            EXPECT_GT(gap, 0.2);
        }
    }
    EXPECT_EQ((std::pair{plan[2].before, plan[2].silence_s}), (std::pair{true, 4.0}));
    EXPECT_EQ((std::pair{plan[3].before, plan[3].silence_s}), (std::pair{false, 6.0}));
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
    EXPECT_EQ(verified_properties(true).size(), 5u);  // translation: the IPv6 side's alone
    EXPECT_EQ(verdict_json(nat, "c0", stun, std::nullopt)["measured"].size(), 5u);  // + classic
}

}  // namespace
}  // namespace natlab
