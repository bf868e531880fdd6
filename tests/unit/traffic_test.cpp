// natlab traffic's analysis: NAT flows in, pairs of hosts out, direct or
// through a third node, from hand-made conntrack flows.
#include <gtest/gtest.h>

#include "core/lifecycle/loaded_lab.hpp"
#include "core/traffic/lab_traffic.hpp"

namespace natlab {
namespace {

const char* kLab = R"(name: t
nodes:
  ha: {routes: {default: nat-a}}
  hb: {routes: {default: nat-b}}
  nat-a: {kind: nat, type: full-cone, outside: wan, routes: {default: internet}}
  nat-b: {kind: nat, type: full-cone, outside: wan, routes: {default: internet}}
  internet: {kind: router}
  relay: {routes: {default: internet}}
links:
  - {endpoints: [nat-a:lan, ha:eth0], subnet: 10.0.1.0/24}
  - {endpoints: [nat-b:lan, hb:eth0], subnet: 10.0.2.0/24}
  - {endpoints: [internet:to-a, nat-a:wan 100.64.1.100], subnet: 100.64.1.0/24}
  - {endpoints: [internet:to-b, nat-b:wan 100.64.2.100], subnet: 100.64.2.0/24}
  - {endpoints: [internet:to-relay, relay:eth0 100.64.9.2], subnet: 100.64.9.0/24}
)";

Endpoint ep(const char* ip, std::uint16_t port) {
    return {*IpAddress::parse(ip), port};
}

// An outbound UDP flow as a NAT's conntrack holds it.
ConntrackFlow outbound(Endpoint inside, Endpoint self, Endpoint remote, FlowCount sent,
                       FlowCount answered) {
    ConntrackFlow f;
    f.protocol = "udp";
    f.original = {inside, remote};
    f.reply = {remote, self};
    f.sent = sent;
    f.answered = answered;
    return f;
}

TEST(Traffic, TwoNatsFlowsBetweenThePublicEndpointsAreOneDirectConversation) {
    Lab lab = load_lab_text(kLab, "t.yaml").lab;
    auto a = outbound(ep("10.0.1.2", 4000), ep("100.64.1.100", 4000), ep("100.64.2.100", 4001),
                      {3, 90}, {4, 120});
    // nat-b dropped one of ha's packets (hb had not sent yet): 2 reached hb.
    auto b = outbound(ep("10.0.2.2", 4001), ep("100.64.2.100", 4001), ep("100.64.1.100", 4000),
                      {4, 120}, {2, 60});
    TrafficReport r = lab_traffic(lab, {{"nat-a", {a}}, {"nat-b", {b}}});
    ASSERT_EQ(r.pairs.size(), 1u);
    EXPECT_EQ(r.pairs[0].verdict(), "direct");
    EXPECT_EQ(r.pairs[0].a_to_b, (FlowCount{2, 60}));
    EXPECT_EQ(r.pairs[0].b_to_a, (FlowCount{4, 120}));
    EXPECT_EQ(render_traffic(r),
              "pairs of hosts:\n"
              "  ha <-> hb: direct\n"
              "      direct, as delivered: ha -> hb 2 packets, 60 B; hb -> ha 4 packets, 120 B\n"
              "flows the NATs track:\n"
              "  udp ha 100.64.1.100:4000 <-> hb via nat-b 100.64.2.100:4001: 3 packets, 90 B "
              "out, 4 packets, 120 B back (direct)\n");
}

TEST(Traffic, TwoHostsBehindIpv6FirewallsTalkDirectlyFromTheirOwnAddresses) {
    // The same lab dual-stack: both NATs' IPv6 sides are firewalls, which
    // translate nothing, so each flow's public endpoint is the host's own.
    std::string text = kLab;
    text.replace(text.find("subnet: 10.0.1.0/24"), 19,
                 "subnet: [10.0.1.0/24, \"2001:db8:1::/64\"]");
    text.replace(text.find("subnet: 10.0.2.0/24"), 19,
                 "subnet: [10.0.2.0/24, \"2001:db8:2::/64\"]");
    text.replace(text.find("subnet: 100.64.1.0/24"), 21,
                 "subnet: [100.64.1.0/24, \"2001:db8:ff:1::/64\"]");
    text.replace(text.find("subnet: 100.64.2.0/24"), 21,
                 "subnet: [100.64.2.0/24, \"2001:db8:ff:2::/64\"]");
    Lab lab = load_lab_text(text, "t.yaml").lab;
    ASSERT_TRUE(lab.find_node("nat-a")->nat->ipv6);
    const Endpoint ha = ep("2001:db8:1::2", 4000), hb = ep("2001:db8:2::2", 4001);
    auto a = outbound(ha, ha, hb, {3, 90}, {4, 120});
    auto b = outbound(hb, hb, ha, {4, 120}, {2, 60});
    TrafficReport r = lab_traffic(lab, {{"nat-a", {a}}, {"nat-b", {b}}});
    ASSERT_EQ(r.pairs.size(), 1u);
    EXPECT_EQ(r.pairs[0].verdict(), "direct");
    EXPECT_EQ(r.pairs[0].a_to_b, (FlowCount{2, 60}));
    EXPECT_EQ(r.pairs[0].b_to_a, (FlowCount{4, 120}));
    ASSERT_EQ(r.talks.size(), 1u);
    EXPECT_EQ(r.talks[0].host_public, ha);
}

TEST(Traffic, SitesThatReuseOnePrivateNetworkKeepTheirOwnHosts) {
    std::string text = kLab;
    text.replace(text.find("10.0.2.0/24"), 11, "10.0.1.0/24");
    Lab lab = load_lab_text(text, "t.yaml").lab;
    auto a = outbound(ep("10.0.1.2", 4000), ep("100.64.1.100", 4000), ep("100.64.2.100", 4001),
                      {3, 90}, {3, 90});
    auto b = outbound(ep("10.0.1.2", 4001), ep("100.64.2.100", 4001), ep("100.64.1.100", 4000),
                      {3, 90}, {3, 90});
    TrafficReport r = lab_traffic(lab, {{"nat-a", {a}}, {"nat-b", {b}}});
    ASSERT_EQ(r.pairs.size(), 1u);
    EXPECT_EQ(std::make_pair(r.pairs[0].a, r.pairs[0].b),
              std::make_pair(std::string("ha"), std::string("hb")));
}

TEST(Traffic, HostsThatOnlyMeetAtARelayTalkThroughIt) {
    Lab lab = load_lab_text(kLab, "t.yaml").lab;
    auto a = outbound(ep("10.0.1.2", 4000), ep("100.64.1.100", 4000), ep("100.64.9.2", 3478),
                      {10, 1000}, {10, 1000});
    auto b = outbound(ep("10.0.2.2", 4001), ep("100.64.2.100", 4001), ep("100.64.9.2", 3478),
                      {10, 1000}, {10, 1000});
    TrafficReport r = lab_traffic(lab, {{"nat-a", {a}}, {"nat-b", {b}}});
    ASSERT_EQ(r.pairs.size(), 1u);
    EXPECT_EQ(r.pairs[0].verdict(), "through relay");
    EXPECT_EQ(r.pairs[0].through.at("relay"), (FlowCount{40, 4000}));
    EXPECT_EQ(traffic_json(r)["pairs"][0]["through"]["relay"]["bytes"], 4000);
}

TEST(Traffic, APunchTheOtherNatDroppedGoesOneWayToNobodyYet) {
    Lab lab = load_lab_text(kLab, "t.yaml").lab;
    auto a = outbound(ep("10.0.1.2", 4000), ep("100.64.1.100", 4000), ep("100.64.2.100", 4001),
                      {3, 90}, {0, 0});
    TrafficReport r = lab_traffic(lab, {{"nat-a", {a}}, {"nat-b", {}}});
    EXPECT_TRUE(r.pairs.empty());
    ASSERT_EQ(r.talks.size(), 1u);
    EXPECT_EQ(r.talks[0].peer_words, "hb via nat-b");
    EXPECT_TRUE(r.talks[0].direct);
}

TEST(Traffic, ThousandsOfFlowsEachFindTheirOwnPartner) {
    // A busy lab: 20,000 punched flows between ha and hb, each on its own
    // ports, each reaching hb with as many packets as its port's offset.
    Lab lab = load_lab_text(kLab, "t.yaml").lab;
    constexpr int kFlows = 20000;
    NatFlows a{"nat-a", {}}, b{"nat-b", {}};
    for (int i = 0; i < kFlows; ++i) {
        auto port_a = static_cast<std::uint16_t>(10000 + i);
        auto port_b = static_cast<std::uint16_t>(40000 + i);
        auto reached = static_cast<std::uint64_t>(i);
        a.flows.push_back(outbound(ep("10.0.1.2", port_a), ep("100.64.1.100", port_a),
                                   ep("100.64.2.100", port_b), {1, 10}, {1, 10}));
        b.flows.push_back(outbound(ep("10.0.2.2", port_b), ep("100.64.2.100", port_b),
                                   ep("100.64.1.100", port_a), {1, 10}, {reached, 10 * reached}));
    }
    TrafficReport r = lab_traffic(lab, {a, b});
    ASSERT_EQ(r.talks.size(), static_cast<std::size_t>(kFlows));
    for (const Talk& t : r.talks) {
        ASSERT_TRUE(t.direct);
        ASSERT_EQ(t.host, "ha");
        ASSERT_EQ(t.peer, "hb");
        ASSERT_EQ(t.peer_public.port - 40000, t.host_public.port - 10000);
        ASSERT_EQ(t.reached_peer.packets, static_cast<std::uint64_t>(t.host_public.port - 10000));
    }
    ASSERT_EQ(r.pairs.size(), 1u);
    EXPECT_EQ(r.pairs[0].a_to_b.packets, std::uint64_t{kFlows} * (kFlows - 1) / 2);
}

TEST(Traffic, BytesInWords) {
    EXPECT_EQ(byte_words(830), "830 B");
    EXPECT_EQ(byte_words(1229), "1.2 KB");
    EXPECT_EQ(byte_words(4u << 20), "4.0 MB");
}

}  // namespace
}  // namespace natlab
