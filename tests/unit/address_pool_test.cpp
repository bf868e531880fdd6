// Address pools: where pool addresses go, the rules a pool renders, and how
// pooling is judged from what a server saw.
#include <gtest/gtest.h>

#include "core/conntrack/port_usage.hpp"
#include "core/conntrack/rebind.hpp"
#include "core/lifecycle/live_changes.hpp"
#include "core/nat/allocation_log.hpp"
#include "core/nat/port_blocks.hpp"
#include "core/nat/render_nft.hpp"
#include "core/probe/conformance.hpp"
#include "nat_fixtures.hpp"
#include "test_util.hpp"

namespace natlab {
namespace {

using test::lab_with_nat;

using test::ip;
using test::nat_of;

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

}  // namespace
}  // namespace natlab
