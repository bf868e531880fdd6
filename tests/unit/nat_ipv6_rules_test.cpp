// Golden files of the IPv6 side of a NAT node (table ip6 natlab) in each
// mode; kernel_tests loads every one of them.
#include <gtest/gtest.h>

#include "core/lifecycle/loaded_lab.hpp"
#include "core/nat/render_ipv6.hpp"
#include "core/plan/step.hpp"
#include "test_util.hpp"

namespace natlab {
namespace {

struct Ipv6Case {
    const char* name;
    const char* node_keys;  // the nat node's keys, YAML flow style
};

const Ipv6Case kCases[] = {
    {"firewall", ""},
    {"firewall-adf", "ipv6: {mode: firewall, filtering: address-dependent}"},
    {"firewall-apdf", "ipv6: {mode: firewall, filtering: address-and-port-dependent}"},
    {"firewall-no-echo", "ipv6: {mode: firewall, echo: drop}"},
    {"firewall-timeouts", "udp-timeout: {unreplied: 20, established: 300}"},
    {"firewall-allow-outbound", "preset: udp-blocked"},
    {"nptv6", "ipv6: {mode: nptv6, prefix: '2001:db8:ff::/64'}"},
    {"nat66-masquerade", "ipv6: nat66"},
    {"nat66-full-cone", "type: full-cone, ipv6: nat66"},
    {"nat66-restricted-cone", "ipv6: {mode: nat66, type: restricted-cone}"},
    {"nat66-port-restricted-cone", "ipv6: {mode: nat66, type: port-restricted-cone}"},
    {"nat66-symmetric", "ipv6: {mode: nat66, type: symmetric}"},
    {"nat66-hairpinning", "ipv6: {mode: nat66, type: full-cone, hairpinning: true}"},
    {"nat66-port-range", "ipv6: {mode: nat66, type: full-cone, port-range: 20000-20009}"},
    {"nat66-sequential",
     "ipv6: {mode: nat66, type: symmetric, port-allocation: sequential, port-range: "
     "20000-20003}"},
};

std::string dual_stack_lab(const char* keys) {
    std::string extra = *keys ? std::string(", ") + keys : "";
    return "name: t\nnodes:\n"
           "  c0: {routes: {default: nat0}}\n"
           "  nat0: {kind: nat, outside: wan, routes: {default: internet}" +
           extra +
           "}\n"
           "  internet: {kind: router}\n"
           "links:\n"
           "  - {endpoints: [nat0:lan, c0:eth0], subnet: [10.0.1.0/24, '2001:db8:1::/64']}\n"
           "  - {endpoints: [internet:to-nat0, nat0:wan 100.64.1.100 2001:db8::100], subnet: "
           "[100.64.1.0/24, '2001:db8::/64']}\n";
}

class NatIpv6Rules : public testing::TestWithParam<Ipv6Case> {};

TEST_P(NatIpv6Rules, MatchGolden) {
    LoadedLab loaded = load_lab_text(dual_stack_lab(GetParam().node_keys), "nat.yaml");
    const LabNode* nat = loaded.lab.find_node("nat0");
    ASSERT_TRUE(nat && nat->nat && nat->nat->ipv6);
    std::string actual = render_ipv6_rules(*nat->nat);
    ASSERT_FALSE(actual.empty());
    // Every family word is IPv6's: nothing of the IPv4 rules is left.
    for (const char* ipv4 : {" ip saddr", " ip daddr", "ipv4_addr", "snat ip to", "dnat ip to"})
        EXPECT_EQ(actual.find(ipv4), std::string::npos) << ipv4;
    std::string file = std::string("tests/unit/golden/nat6/") + GetParam().name + ".nft";
    EXPECT_EQ(actual, test::golden(file, actual));
}

INSTANTIATE_TEST_SUITE_P(Modes, NatIpv6Rules, testing::ValuesIn(kCases), [](const auto& info) {
    std::string name = info.param.name;
    for (auto& c : name)
        if (c == '-') c = '_';
    return name;
});

TEST(NatIpv6Rules, PlannedAsASecondTableOfTheIp6Family) {
    LoadedLab loaded = load_lab_text(dual_stack_lab(""), "nat.yaml");
    std::vector<std::string> families;
    for (const auto& step : loaded.plan.steps)
        if (const auto* r = std::get_if<ApplyRuleset>(&step)) families.push_back(r->family);
    EXPECT_EQ(families, (std::vector<std::string>{"ip", "ip6"}));
}

TEST(NatIpv6Rules, RoutedAndAnOpenFirewallLoadNoTable) {
    for (const char* keys : {"ipv6: routed", "firewall: false"}) {
        LoadedLab loaded = load_lab_text(dual_stack_lab(keys), "nat.yaml");
        EXPECT_EQ(render_ipv6_rules(*loaded.lab.find_node("nat0")->nat), "") << keys;
    }
}

TEST(NatIpv6Rules, DefaultsFollowRfc6092AndTheIpv4Side) {
    LoadedLab loaded = load_lab_text(
        dual_stack_lab("type: symmetric, udp-timeout: {unreplied: 20, established: 300}"),
        "nat.yaml");
    const Ipv6Side& side = *loaded.lab.find_node("nat0")->nat->ipv6;
    EXPECT_EQ(side.mode, Ipv6Mode::firewall);
    EXPECT_EQ(side.behaviour.mf.filtering, Dependence::endpoint_independent);
    EXPECT_EQ(side.behaviour.udp_unreplied_timeout, 20);
    EXPECT_EQ(side.behaviour.udp_established_timeout, 300);
    EXPECT_TRUE(side.echo_allowed);
    EXPECT_EQ(side.external_address.str(), "2001:db8::100");
    ASSERT_EQ(side.inside_networks.size(), 1u);
    EXPECT_EQ(side.inside_networks[0].str(), "2001:db8:1::/64");
}

TEST(NatIpv6Rules, Nat66InheritsTheIpv4NatWithoutItsAddresses) {
    LoadedLab loaded = load_lab_text(
        dual_stack_lab("type: full-cone, forwards: {udp/5000: c0:5000}, ipv6: nat66"), "nat.yaml");
    const NatNode& nat = *loaded.lab.find_node("nat0")->nat;
    EXPECT_EQ(nat.ipv6->behaviour.mf, nat.behaviour.mf);
    EXPECT_TRUE(nat.ipv6->behaviour.forwards.empty());
}

}  // namespace
}  // namespace natlab
