#include <gtest/gtest.h>

#include <filesystem>

#include "core/lifecycle/loaded_lab.hpp"
#include "core/topology/load.hpp"
#include "core/topology/validate.hpp"
#include "test_util.hpp"

using namespace natlab;

namespace {

std::vector<std::string> addresses_of(const Lab& lab, const std::string& node,
                                      const std::string& ifname) {
    std::vector<std::string> out;
    for (const auto& c : lab.find_node(node)->find_interface(ifname)->addresses)
        out.push_back(c.str());
    return out;
}

}  // namespace

TEST(Labs, EveryBundledLabLoadsAndValidates) {
    int count = 0;
    for (const auto& entry : std::filesystem::directory_iterator(test::source_path("labs"))) {
        if (entry.path().extension() != ".yaml") continue;
        ++count;
        EXPECT_NO_THROW(load_lab_file(entry.path().string())) << entry.path();
    }
    EXPECT_GE(count, 3);
}

TEST(Labs, TwoNatAddressesAndRoutes) {
    auto loaded = load_lab_file(test::source_path("labs/two-nat.yaml"));
    const Lab& lab = loaded.lab;
    EXPECT_EQ(lab.name, "two-nat");
    EXPECT_EQ(lab.nodes.size(), 5u);
    EXPECT_EQ(addresses_of(lab, "nat0", "lan"), std::vector<std::string>{"10.0.1.1/24"});
    EXPECT_EQ(addresses_of(lab, "c0", "eth0"), std::vector<std::string>{"10.0.1.2/24"});
    EXPECT_EQ(addresses_of(lab, "nat0", "wan"), std::vector<std::string>{"100.64.1.100/24"});
    EXPECT_EQ(addresses_of(lab, "internet", "to-nat0"), std::vector<std::string>{"100.64.1.1/24"});
    const LabNode* c0 = lab.find_node("c0");
    ASSERT_EQ(c0->routes.size(), 1u);
    EXPECT_EQ(c0->routes[0].destination.str(), "0.0.0.0/0");
    EXPECT_EQ(c0->routes[0].gateway->str(), "10.0.1.1");
    EXPECT_EQ(lab.find_node("nat0")->nat->outside, "wan");
}

TEST(Labs, SwitchSegmentSharesOneSubnetAndSkipsWrittenAddresses) {
    auto loaded = load_lab_text(R"(name: s
nodes:
  sw: {kind: switch, subnet: 10.1.0.0/24}
  a: {}
  b: {}
  c: {routes: {default: a}}
links:
  - {endpoints: [a:eth0, sw:p0]}
  - {endpoints: [b:eth0 10.1.0.2, sw:p1]}
  - {endpoints: [c:eth0, sw:p2]}
)",
                                "s.yaml");
    EXPECT_EQ(addresses_of(loaded.lab, "a", "eth0"), std::vector<std::string>{"10.1.0.1/24"});
    EXPECT_EQ(addresses_of(loaded.lab, "b", "eth0"), std::vector<std::string>{"10.1.0.2/24"});
    EXPECT_EQ(addresses_of(loaded.lab, "c", "eth0"),
              std::vector<std::string>{"10.1.0.3/24"});  // .2 was taken
    EXPECT_TRUE(addresses_of(loaded.lab, "sw", "p0").empty());
    EXPECT_EQ(loaded.lab.find_node("c")->routes[0].gateway->str(), "10.1.0.1");
}

TEST(Labs, DualStackLinkGetsBothFamiliesAndRoutesForBoth) {
    auto loaded = load_lab_text(R"(name: v6
nodes:
  r: {kind: router}
  h: {routes: {default: r}}
links:
  - {endpoints: [r:eth0, h:eth0], subnet: [10.0.0.0/24, fd00:1::/64]}
)",
                                "v6.yaml");
    EXPECT_EQ(addresses_of(loaded.lab, "h", "eth0"),
              (std::vector<std::string>{"10.0.0.2/24", "fd00:1::2/64"}));
    const auto& routes = loaded.lab.find_node("h")->routes;
    ASSERT_EQ(routes.size(), 2u);
    EXPECT_EQ(routes[0].gateway->str(), "10.0.0.1");
    EXPECT_EQ(routes[1].destination.str(), "::/0");
    EXPECT_EQ(routes[1].gateway->str(), "fd00:1::1");
}

TEST(Labs, NameOverrideIsCheckedToo) {
    auto text = test::read_text(test::source_path("labs/two-nat.yaml"));
    EXPECT_EQ(load_lab_text(text, "two-nat.yaml", "ci-7").plan.namespaces().front(), "ci-7-c0");
    try {
        load_lab_text(text, "two-nat.yaml", "Bad_Name");
        FAIL() << "expected InvalidInput";
    } catch (const InvalidInput& e) {
        EXPECT_STREQ(
            e.what(),
            "natlab: lab name 'Bad_Name' contains 'B'; use lower-case letters, digits and '-' "
            "(it names a namespace file and a host)");
    }
}

TEST(Load, SubnetPoolExhausted) {
    Diagnostics diag("x.yaml");
    auto topo = load_topology(R"(name: x
nodes: {a: {}, b: {}, c: {}, sw: {kind: switch, subnet: 10.0.0.0/30}}
links:
  - {endpoints: [a:e, sw:p0]}
  - {endpoints: [b:e, sw:p1]}
  - {endpoints: [c:e, sw:p2]}
)",
                              "x.yaml", diag);
    EXPECT_FALSE(validate(topo, diag));
    EXPECT_EQ(
        diag.render(),
        "x.yaml:2:57: subnet 10.0.0.0/30 has no free address left for c:e; use a larger subnet\n");
}
