// A NAT with several outside interfaces: each outside translates to its own
// address with objects of its own (a golden file that kernel_tests loads),
// and what binds a NAT to one address is refused beside them.
#include <gtest/gtest.h>

#include "core/lifecycle/loaded_lab.hpp"
#include "core/nat/nat_outsides.hpp"
#include "core/nat/render_nft.hpp"
#include "test_util.hpp"

namespace natlab {
namespace {

// mac: vm's traffic to 10/8 leaves by gpd0, the rest by en0.
std::string laptop(const std::string& keys) {
    return "name: t\nnodes:\n"
           "  vm: {routes: {default: mac}}\n"
           "  vm2: {routes: {default: mac}}\n"
           "  mac: {kind: nat, outside: [gpd0, en0], routes: {10.0.0.0/8: vpn, default: wifi}, " +
           keys +
           "}\n"
           "  vpn: {kind: router}\n"
           "  wifi: {kind: router}\n"
           "links:\n"
           "  - {endpoints: [mac:vmnet, vm:eth0], subnet: 192.168.64.0/24}\n"
           "  - {endpoints: [mac:lab, vm2:eth0], subnet: 192.168.65.0/24}\n"
           "  - {endpoints: [mac:gpd0, vpn:tun], subnet: 10.8.0.0/24}\n"
           "  - {endpoints: [mac:en0, wifi:lan], subnet: 198.51.100.0/24}\n";
}

const NatNode& mac(const LoadedLab& loaded) {
    const LabNode* node = loaded.lab.find_node("mac");
    EXPECT_TRUE(node && node->nat);
    return *node->nat;
}

TEST(SeveralOutsides, EachTranslatesToItsOwnAddress) {
    LoadedLab loaded = load_lab_text(laptop("type: full-cone"), "mac.yaml");
    auto outsides = nat_outsides(mac(loaded));
    ASSERT_EQ(outsides.size(), 2u);
    EXPECT_EQ(outsides[0].interface, "gpd0");
    EXPECT_EQ(outsides[0].address.str(), "10.8.0.1");
    EXPECT_EQ(outsides[1].interface, "en0");
    EXPECT_EQ(outsides[1].address.str(), "198.51.100.1");
    EXPECT_EQ(mac(loaded).inside_interfaces, (std::vector<std::string>{"vmnet", "lab"}));
}

TEST(SeveralOutsides, RulesOfEveryOutside) {
    LoadedLab loaded =
        load_lab_text(laptop("type: restricted-cone, hairpinning: true, isolate-inside: true, "
                             "exclude: [10.0.0.0/8, '!10.20.0.0/16']"),
                      "mac.yaml");
    std::string rules = render_nat_rules(mac(loaded));
    EXPECT_EQ(rules, test::golden("tests/unit/golden/nat/several-outsides.nft", rules));
    // The second outside's objects are its own, named wherever they are used.
    EXPECT_NE(rules.find("map eim_en0 {"), std::string::npos);
    EXPECT_NE(rules.find("@eim_en0"), std::string::npos);
    EXPECT_NE(rules.find("chain postrouting_en0 {"), std::string::npos);
    EXPECT_NE(rules.find("counter name \"refused_en0\""), std::string::npos);
    EXPECT_NE(rules.find("snat ip to 198.51.100.1"), std::string::npos);
    // Neither outside counts the other's packets as the inside's.
    EXPECT_NE(rules.find("iifname != { \"gpd0\", \"en0\" }"), std::string::npos);
    EXPECT_NE(rules.find("oifname != { \"vmnet\", \"gpd0\", \"en0\" }"), std::string::npos);
    EXPECT_EQ(rules.find("iifname != \"gpd0\""), std::string::npos);
}

TEST(SeveralOutsides, ResetsEmptyEveryOutsidesBindings) {
    LoadedLab loaded = load_lab_text(laptop("type: full-cone"), "mac.yaml");
    std::string reset = render_nat_reset(mac(loaded));
    EXPECT_NE(reset.find("flush map ip natlab eim\n"), std::string::npos) << reset;
    EXPECT_NE(reset.find("flush map ip natlab eim_en0\n"), std::string::npos) << reset;
    EXPECT_NE(reset.find("reset counter ip natlab refused_en0\n"), std::string::npos) << reset;
    auto stores = nat_stores(mac(loaded));
    EXPECT_NE(std::find(stores.begin(), stores.end(),
                        std::pair<std::string, std::string>("set", "taken_en0")),
              stores.end());
}

TEST(SeveralOutsides, OneOutsideKeepsItsNames) {
    LoadedLab loaded = load_lab_text(
        "name: t\nnodes:\n  c0: {routes: {default: nat0}}\n"
        "  nat0: {kind: nat, outside: [wan], type: full-cone, hairpinning: true}\n"
        "links:\n  - {endpoints: [nat0:lan, c0:eth0], subnet: 10.0.1.0/24}\n"
        "  - {endpoints: [nat0:wan, c0:eth1], subnet: 100.64.1.0/24}\n",
        "one.yaml");
    std::string rules = render_nat_rules(*loaded.lab.find_node("nat0")->nat);
    EXPECT_EQ(rules.find("_wan"), std::string::npos);
    EXPECT_NE(rules.find("iifname != \"wan\""), std::string::npos);
}

TEST(SeveralOutsides, WhatTakesOneAddressIsRefused) {
    std::string problems = test::refusal([] {
        load_lab_text(laptop("type: full-cone, pool: [198.51.100.9], port-block: 100"), "mac.yaml");
    });
    EXPECT_NE(problems.find("mac.yaml:5:"), std::string::npos) << problems;
    EXPECT_NE(problems.find("'pool' of nat node 'mac' needs one outside interface, and it has 2"),
              std::string::npos)
        << problems;
    EXPECT_NE(problems.find("'port-block' of nat node 'mac' needs one outside interface"),
              std::string::npos)
        << problems;
}

}  // namespace
}  // namespace natlab
