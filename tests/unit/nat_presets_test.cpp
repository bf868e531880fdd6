// Named NAT presets: what a preset fills in, what written keys override,
// and the rules a preset renders.
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

}  // namespace
}  // namespace natlab
