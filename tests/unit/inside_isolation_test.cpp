// isolate-inside: the chain that keeps a NAT's inside networks apart, in
// both families' tables (golden files that kernel_tests loads), and nothing
// of it where there is nothing to keep apart.
#include <gtest/gtest.h>

#include "core/lifecycle/loaded_lab.hpp"
#include "core/nat/render_ipv6.hpp"
#include "core/nat/render_nft.hpp"
#include "test_util.hpp"

namespace natlab {
namespace {

// hv serves two inside networks (virbr0 to a switch, virbr1 to one host).
std::string two_networks(const std::string& keys) {
    return "name: t\nnodes:\n"
           "  vma: {routes: {default: hv}}\n"
           "  vmc: {routes: {default: hv}}\n"
           "  net0: {kind: switch}\n"
           "  hv: {kind: nat, outside: wan, routes: {default: internet}, " +
           keys +
           "}\n"
           "  internet: {kind: router}\n"
           "links:\n"
           "  - {endpoints: [hv:virbr0, net0:p0], subnet: [192.168.122.0/24, "
           "'2001:db8:122::/64']}\n"
           "  - {endpoints: [net0:p1, vma:eth0]}\n"
           "  - {endpoints: [hv:virbr1, vmc:eth0], subnet: [10.0.100.0/24, '2001:db8:100::/64']}\n"
           "  - {endpoints: [internet:to-hv, hv:wan], subnet: [100.64.1.0/24, '2001:db8::/64']}\n";
}

const NatNode& nat_of(const LoadedLab& loaded) {
    const LabNode* hv = loaded.lab.find_node("hv");
    EXPECT_TRUE(hv && hv->nat);
    return *hv->nat;
}

TEST(InsideIsolation, Ipv4TableRejectsBetweenInsideNetworks) {
    LoadedLab loaded = load_lab_text(two_networks("isolate-inside: true"), "hv.yaml");
    std::string rules = render_nat_rules(nat_of(loaded));
    EXPECT_EQ(rules, test::golden("tests/unit/golden/nat/isolate-inside.nft", rules));
}

TEST(InsideIsolation, Ipv6FirewallTableGetsTheChainToo) {
    LoadedLab loaded = load_lab_text(two_networks("isolate-inside: true"), "hv.yaml");
    std::string rules = render_ipv6_rules(nat_of(loaded));
    EXPECT_EQ(rules, test::golden("tests/unit/golden/nat6/isolate-inside-firewall.nft", rules));
}

TEST(InsideIsolation, RoutedIpv6GetsATableOfItsOwn) {
    LoadedLab loaded = load_lab_text(two_networks("isolate-inside: true, ipv6: routed"), "hv.yaml");
    std::string rules = render_ipv6_rules(nat_of(loaded));
    EXPECT_EQ(rules, test::golden("tests/unit/golden/nat6/isolate-inside-routed.nft", rules));
}

TEST(InsideIsolation, RoutedByDefault) {
    LoadedLab loaded = load_lab_text(two_networks("ipv6: routed"), "hv.yaml");
    EXPECT_EQ(render_nat_rules(nat_of(loaded)).find("isolate"), std::string::npos);
    EXPECT_EQ(render_ipv6_rules(nat_of(loaded)), "");
}

TEST(InsideIsolation, ANotBooleanValueIsRefusedWhereItIs) {
    std::string problems =
        test::refusal([] { load_lab_text(two_networks("isolate-inside: sometimes"), "hv.yaml"); });
    EXPECT_NE(problems.find("hv.yaml:6:"), std::string::npos) << problems;
    EXPECT_NE(problems.find("isolate-inside"), std::string::npos) << problems;
    EXPECT_NE(problems.find("sometimes"), std::string::npos) << problems;
}

}  // namespace
}  // namespace natlab
