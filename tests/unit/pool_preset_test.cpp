// Address pools and named presets: what a preset fills in and what written
// keys override, where pool addresses go, the rules a pool renders, and how
// pooling is judged from what a server saw.
#include <gtest/gtest.h>

#include "core/conntrack/port_usage.hpp"
#include "core/conntrack/rebind.hpp"
#include "core/lab/live_changes.hpp"
#include "core/nat/allocation_log.hpp"
#include "core/nat/port_blocks.hpp"
#include "core/nat/render_nft.hpp"
#include "core/probe/conformance.hpp"
#include "test_util.hpp"

namespace natlab {
namespace {

using test::lab_with_nat;

LabNode nat_of(const std::string& nat_keys) {
    return *load_changed_lab(lab_with_nat(nat_keys), "t.yaml", "t", {}).lab.find_node("nat0");
}

IpAddress ip(const char* text) {
    return *IpAddress::parse(text);
}

TEST(Presets, FillWhatTheNodeDoesNotWrite) {
    NatBehaviour b = nat_of("preset: home-router").nat->behaviour;
    EXPECT_EQ(b.mf, (MappingFiltering{Dependence::endpoint_independent,
                                      Dependence::address_and_port_dependent}));
    EXPECT_TRUE(b.hairpinning);
    EXPECT_EQ(b.allocation, PortAllocation::preserve);
    EXPECT_EQ(b.udp_established_timeout, 300);
    EXPECT_EQ(b.preset, "home-router");
}

TEST(Presets, WrittenKeysWinAndTypeReplacesThePresetsClasses) {
    NatBehaviour b = nat_of("preset: home-router, filtering: endpoint-independent").nat->behaviour;
    EXPECT_EQ(b.mf.filtering, Dependence::endpoint_independent);
    EXPECT_TRUE(b.hairpinning);  // still the preset's
    b = nat_of("preset: cgnat, type: symmetric, port-preservation: true").nat->behaviour;
    EXPECT_EQ(b.mf, classic_behaviour(NatType::symmetric));
    EXPECT_EQ(b.allocation, PortAllocation::preserve);
}

TEST(Presets, UdpBlockedLetsOutOnlyTcpWebPorts) {
    NatBehaviour b = nat_of("preset: udp-blocked").nat->behaviour;
    ASSERT_TRUE(b.allowed_outbound);
    EXPECT_EQ(*b.allowed_outbound,
              (std::vector<AllowedPort>{{Protocol::tcp, 80}, {Protocol::tcp, 443}}));
    std::string rules = render_nat_rules(*nat_of("preset: udp-blocked").nat);
    EXPECT_NE(rules.find("type filter hook forward priority filter"), std::string::npos);
    EXPECT_NE(
        rules.find("oifname \"wan\" ct state new meta l4proto . th dport { tcp . 80, tcp . 443 } "
                   "accept"),
        std::string::npos);
    EXPECT_NE(rules.find("oifname \"wan\" ct state new counter drop"), std::string::npos);
}

// cloud-1to1: the external address is the only inside host's, both ways,
// every port; nothing is learnt, so there is no learn chain at all.
TEST(Presets, CloudOneToOneGivesTheAddressToTheOnlyInsideHost) {
    LabNode nat = nat_of("preset: cloud-1to1");
    const NatBehaviour& b = nat.nat->behaviour;
    ASSERT_TRUE(b.one_to_one);
    EXPECT_EQ(*b.one_to_one, ip("10.0.1.2"));
    EXPECT_EQ(b.mf, (MappingFiltering{Dependence::endpoint_independent,
                                      Dependence::endpoint_independent}));
    EXPECT_TRUE(b.port_preservation());
    EXPECT_EQ(behaviour_name(b), "cloud-1to1 (one-to-one)");
    EXPECT_EQ(declared_lifetime(b), "static");
    EXPECT_EQ(render_nat_rules(*nat.nat),
              "table ip natlab {\n"
              "\tchain prerouting {\n"
              "\t\ttype nat hook prerouting priority dstnat; policy accept;\n"
              "\t\tiifname \"wan\" ip daddr 100.64.1.2 dnat ip to 10.0.1.2 comment \"one-to-one: "
              "whatever reaches the external address goes to 10.0.1.2, on the same port\"\n"
              "\t}\n"
              "\tchain postrouting {\n"
              "\t\ttype nat hook postrouting priority srcnat; policy accept;\n"
              "\t\toifname \"wan\" ip saddr 10.0.1.2 snat ip to 100.64.1.2 comment \"one-to-one: "
              "10.0.1.2 leaves from the external address, ports kept\"\n"
              "\t\toifname \"wan\" ip saddr != { 10.0.1.2, 100.64.1.2 } counter drop comment "
              "\"one-to-one: the address is 10.0.1.2's alone; other inside hosts have none\"\n"
              "\t}\n"
              "}\n");
    EXPECT_TRUE(nat_stores(*nat.nat).empty());
    EXPECT_EQ(render_refresh_reset(*nat.nat), "");
    EXPECT_NE(rebind_refusal(*nat.nat, "nat0").find("is a one-to-one NAT"), std::string::npos);
    // Written by hand, by node or by address: the same NAT.
    EXPECT_EQ(nat_of("one-to-one: c0").nat->behaviour.one_to_one, b.one_to_one);
    EXPECT_EQ(nat_of("one-to-one: 10.0.1.2").nat->behaviour.one_to_one, b.one_to_one);
}

TEST(Pools, OnLinkAddressesGoOnTheOutsideInterfaceRoutedOnesDoNot) {
    LabNode nat = nat_of("type: full-cone, pool: [100.64.1.200-100.64.1.201, 198.51.100.7]");
    EXPECT_EQ(nat.nat->behaviour.pool,
              (std::vector<IpAddress>{ip("100.64.1.200"), ip("100.64.1.201"), ip("198.51.100.7")}));
    std::vector<std::string> on_wan;
    for (const auto& a : nat.find_interface("wan")->addresses) on_wan.push_back(a.str());
    EXPECT_EQ(on_wan,
              (std::vector<std::string>{"100.64.1.2/24", "100.64.1.200/24", "100.64.1.201/24"}));
}

TEST(Pools, PairedHashesTheInsideAddressArbitraryDrawsPerMapping) {
    std::string paired =
        render_nat_rules(*nat_of("type: full-cone, pool: 100.64.1.200-100.64.1.203").nat);
    EXPECT_NE(paired.find("meta mark set jhash ip saddr mod 4"), std::string::npos);
    EXPECT_NE(paired.find("elements = { 0 : 100.64.1.200, 1 : 100.64.1.201, 2 : 100.64.1.202, "
                          "3 : 100.64.1.203 }"),
              std::string::npos);
    // The interface's own address has an index too (forwards keep to it).
    EXPECT_NE(paired.find("100.64.1.203 : 3, 100.64.1.2 : 4 }"), std::string::npos);
    // Inbound and taken key the external address: a port per address.
    EXPECT_NE(paired.find("map inbound { type inet_proto . ipv4_addr . inet_service : "),
              std::string::npos);
    EXPECT_NE(paired.find("set taken { type inet_proto . mark . inet_service;"), std::string::npos);
    EXPECT_NE(paired.find("dnat ip to meta l4proto . ip daddr . th dport map @inbound"),
              std::string::npos);
    std::string arbitrary = render_nat_rules(
        *nat_of("type: symmetric, pooling: arbitrary, pool: 100.64.1.200-100.64.1.203").nat);
    EXPECT_NE(arbitrary.find("meta mark set numgen random mod 4"), std::string::npos);
    EXPECT_NE(arbitrary.find("snat ip to meta mark map @pool_address fully-random"),
              std::string::npos);
    EXPECT_NE(arbitrary.find("set owners { type inet_proto . ipv4_addr . inet_service . "
                             "ipv4_addr . inet_service;"),
              std::string::npos);
}

TEST(Pools, OneAddressIsNoPool) {
    std::string rules = render_nat_rules(*nat_of("type: full-cone, pool: 100.64.1.2").nat);
    EXPECT_EQ(rules.find("pool_address"), std::string::npos);
    EXPECT_NE(rules.find("set taken { type inet_proto . inet_service;"), std::string::npos);
}

OwnershipSample sample(const char* inside, std::uint16_t port, const char* seen) {
    return {{ip(inside), port}, Endpoint{ip(seen), port}};
}

TEST(Pools, JudgedByTheExternalAddressesOfEachInsideAddress) {
    EXPECT_EQ(
        judge_pooling({sample("10.0.1.2", 1, "203.0.113.1"), sample("10.0.1.2", 2, "203.0.113.1"),
                       sample("10.0.1.9", 1, "203.0.113.2"), sample("10.0.1.9", 2, "203.0.113.2")}),
        Pooling::paired);
    EXPECT_EQ(
        judge_pooling({sample("10.0.1.2", 1, "203.0.113.1"), sample("10.0.1.2", 2, "203.0.113.3")}),
        Pooling::arbitrary);
    EXPECT_EQ(judge_pooling({sample("10.0.1.2", 1, "203.0.113.1")}), std::nullopt);
}

TEST(Pools, PortsHeldCountOnEveryPoolAddress) {
    NatBehaviour b = nat_of(
                         "type: full-cone, port-range: 2000-2001, "
                         "pool: 100.64.1.200-100.64.1.201")
                         .nat->behaviour;
    const std::string taken =
        R"({"nftables": [{"set": {"name": "taken", "elem": [)"
        R"({"concat": ["udp", 0, 2000]}, {"concat": ["udp", 1, 2000]}, {"concat": ["udp", 1, 2001]}]}}]})";
    auto usage = port_usage(taken, "{}", b);
    ASSERT_TRUE(usage);
    EXPECT_EQ(usage->size(), 4);
    EXPECT_EQ(usage->held.at("udp"), 3);
    EXPECT_FALSE(usage->exhausted("udp"));
}

TEST(Pools, RebindHoldsTheOldPortOnItsOwnAddress) {
    const std::string taken =
        R"({"nftables": [{"set": {"name": "taken", "type": ["inet_proto", "mark", "inet_service"], )"
        R"("elem": [{"concat": ["udp", 2, 5000]}, {"concat": ["udp", 1, 6000]}]}}]})";
    const std::string empty =
        R"({"nftables": [{"set": {"name": "taken", "type": ["inet_proto", "mark", "inet_service"]}}]})";
    std::vector<Rebinding> moves = {{"udp", {ip("10.0.1.2"), 5000}, 5000}};
    EXPECT_EQ(render_forget({{"set", "taken", taken}}, moves, 30),
              "delete element ip natlab taken { udp . 2 . 5000 }\n"
              "add element ip natlab taken { udp . 2 . 5000 timeout 30s }\n");
    // Not learnt: which address's index is not known, so nothing to hold.
    EXPECT_EQ(render_forget({{"set", "taken", empty}}, moves, 30), "");
}

TEST(PortBlocks, EachSubscriberGetsItsAddressAndPortsInOrder) {
    // 10.0.1.0/24 has 254 subscribers; 64 blocks of 8 ports on each of 4 addresses.
    NatNode nat = *nat_of(
                       "preset: cgnat, pool: 100.64.1.200-100.64.1.203, port-range: "
                       "20000-20511, port-block: 8")
                       .nat;
    std::vector<PortBlock> blocks = port_blocks(nat);
    ASSERT_EQ(blocks.size(), 254u);
    EXPECT_EQ(blocks[0], (PortBlock{ip("10.0.1.1"), ip("100.64.1.200"), {20000, 20007}}));
    EXPECT_EQ(blocks[1], (PortBlock{ip("10.0.1.2"), ip("100.64.1.200"), {20008, 20015}}));
    EXPECT_EQ(blocks[64], (PortBlock{ip("10.0.1.65"), ip("100.64.1.201"), {20000, 20007}}));
    EXPECT_EQ(blocks[253], (PortBlock{ip("10.0.1.254"), ip("100.64.1.203"), {20488, 20495}}));
    std::string rules = render_nat_rules(nat);
    EXPECT_NE(rules.find("10.0.1.65 : 100.64.1.201 . 20000-20007,"), std::string::npos);
    EXPECT_NE(rules.find("snat ip to ip saddr map @blocks fully-random"), std::string::npos);
    EXPECT_NE(
        rules.find("update @exhausted { ct original ip saddr } counter name \"refused\" drop"),
        std::string::npos);
    EXPECT_EQ(rules.find("meta mark set jhash"), std::string::npos);  // the block names the address
}

TEST(PortBlocks, TooFewBlocksForTheSubscribersIsAProblemNamingTheNumbers) {
    NatNode nat = *nat_of("preset: cgnat, port-range: 20000-20099").nat;
    nat.behaviour.port_block = 10;
    EXPECT_EQ(port_blocks_problem(nat),
              "port-block 10 gives 10 blocks (10 of ports 20000-20099 on its external address) for "
              "the 254 addresses of its inside networks; use a smaller port-block, a larger pool "
              "or a smaller inside subnet");
    EXPECT_TRUE(port_blocks(nat).empty());
}

TEST(AllocationLog, OneLinePerSubscriberWithItsRefusals) {
    AllocationLog log{"cgn",
                      "2026-12-02T10:00:00Z",
                      {{ip("100.64.0.2"), ip("198.51.100.200"), {20064, 20127}}},
                      parse_exhausted(R"({"nftables": [{"set": {"name": "exhausted", "elem": [)"
                                      R"({"elem": {"val": "100.64.0.2", "counter": )"
                                      R"({"packets": 7, "bytes": 300}}}]}}]})")};
    EXPECT_EQ(allocation_log_json_lines(log),
              R"({"external":"198.51.100.200","nat":"cgn","ports":"20064-20127","refused":7,)"
              R"("since":"2026-12-02T10:00:00Z","subscriber":"100.64.0.2"})"
              "\n");
    EXPECT_EQ(render_allocation_log(log),
              "SUBSCRIBER       EXTERNAL         PORTS        SINCE                 REFUSED\n"
              "100.64.0.2       198.51.100.200   20064-20127  2026-12-02T10:00:00Z  7\n");
}

}  // namespace
}  // namespace natlab
