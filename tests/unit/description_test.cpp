// What natlab run tells its command about the lab: the JSON description, the
// NATLAB_* variables, and the unique names of parallel runs.
#include <gtest/gtest.h>

#include "core/lifecycle/lab_description.hpp"
#include "core/lifecycle/loaded_lab.hpp"
#include "core/names/unique_name.hpp"
#include "test_util.hpp"

using namespace natlab;

namespace {

const DescriptionContext kContext{"/labs/two-nat.yaml", "/usr/bin/natlab", "/run/natlab/t/lab.json",
                                  false};

Lab two_nat() {
    return load_lab_file(test::source_path("labs/two-nat.yaml"), "t").lab;
}

std::string value_of(const Environment& env, const std::string& name) {
    for (const auto& [n, v] : env)
        if (n == name) return v;
    return "<unset>";
}

}  // namespace

TEST(Description, NamesEveryNodeWithItsNamespaceAndAddresses) {
    auto j = describe_lab(two_nat(), kContext);
    EXPECT_EQ(j["version"], 1);
    EXPECT_EQ(j["lab"], "t");
    EXPECT_EQ(j["source"], "/labs/two-nat.yaml");
    EXPECT_EQ(j["rootless"], false);
    EXPECT_EQ(j["nodes"].size(), 5u);
    EXPECT_EQ(j["nodes"]["c0"].dump(),
              R"({"env_prefix":"NATLAB_NODE_C0_","interfaces":{"eth0":{"ipv4":["10.0.1.2/24"],)"
              R"("ipv6":[]}},"ipv4":"10.0.1.2","ipv6":null,"kind":"host","names":["c0.t","c0"],)"
              R"("netns":"t-c0"})");
    EXPECT_EQ(j["names"].dump(), R"({"dns":null,"domain":"t","hosts":"/run/natlab/t/etc/hosts",)"
                                 R"("resolv_conf":"/run/natlab/t/etc/resolv.conf"})");
    // A NAT's main address is its public one, whatever the interface order.
    EXPECT_EQ(j["nodes"]["nat0"]["ipv4"], "100.64.1.100");
    EXPECT_EQ(j["nodes"]["nat0"]["nat"].dump(),
              R"({"filtering":"address-and-port-dependent","mapping":"endpoint-independent",)"
              R"("outside":"wan","type":"masquerade"})");
}

TEST(Description, EnvironmentGivesEachNodeItsNamespaceAndAddresses) {
    Environment env = lab_environment(two_nat(), kContext);
    EXPECT_EQ(value_of(env, "NATLAB_LAB"), "t");
    EXPECT_EQ(value_of(env, "NATLAB_LAB_JSON"), "/run/natlab/t/lab.json");
    EXPECT_EQ(value_of(env, "NATLAB_BIN"), "/usr/bin/natlab");
    EXPECT_EQ(value_of(env, "NATLAB_ROOTLESS"), "0");
    EXPECT_EQ(value_of(env, "NATLAB_NODES"), "c0 c1 nat0 nat1 internet");
    EXPECT_EQ(value_of(env, "NATLAB_NODE_C1_NETNS"), "t-c1");
    EXPECT_EQ(value_of(env, "NATLAB_NODE_C1_KIND"), "host");
    EXPECT_EQ(value_of(env, "NATLAB_NODE_NAT1_IPV4"), "100.64.2.100");
    EXPECT_EQ(value_of(env, "NATLAB_NODE_NAT1_LAN_IPV4"), "10.0.2.1");
    EXPECT_EQ(value_of(env, "NATLAB_NODE_INTERNET_TO_NAT0_IPV4"), "100.64.1.1");
    EXPECT_EQ(value_of(env, "NATLAB_NODE_C0_IPV6"), "<unset>");
}

TEST(Description, DualStackNodesGetBothFamiliesAndSwitchesNone) {
    Lab lab = load_lab_text(R"(name: d
nodes:
  sw: {kind: switch}
  a: {}
  b: {}
links:
  - {endpoints: [a:eth0, sw:p0], subnet: [10.0.0.0/24, fd00::/64]}
  - {endpoints: [b:eth0, sw:p1], subnet: [10.0.0.0/24, fd00::/64]}
)",
                            "d.yaml")
                  .lab;
    Environment env = lab_environment(lab, kContext);
    EXPECT_EQ(value_of(env, "NATLAB_NODE_A_IPV4"), "10.0.0.1");
    EXPECT_EQ(value_of(env, "NATLAB_NODE_A_IPV6"), "fd00::1");
    EXPECT_EQ(value_of(env, "NATLAB_NODE_SW_IPV4"), "<unset>");
    EXPECT_EQ(describe_lab(lab, kContext)["nodes"]["sw"]["ipv4"], nullptr);
}

TEST(Description, TwoNamesForOneVariableAreRefused) {
    Lab lab = load_lab_text(R"(name: c
nodes:
  c0: {}
  c0-eth0: {}
links:
  - {endpoints: [c0:eth0, c0-eth0:eth0], subnet: 10.0.0.0/24}
)",
                            "c.yaml")
                  .lab;
    try {
        lab_environment(lab, kContext);
        FAIL() << "no error";
    } catch (const InvalidInput& e) {
        EXPECT_STREQ(e.what(),
                     "natlab: NATLAB_NODE_C0_ETH0_IPV4 would stand for both node c0 interface eth0 "
                     "and node c0-eth0; "
                     "rename one of them (in variable names every character other than a letter "
                     "or digit becomes '_')");
    }
}

TEST(UniqueName, AddsSixHexDigitsAndStaysWithinTheLimit) {
    EXPECT_EQ(unique_lab_name("two-nat", 0x12abcdef), "two-nat-abcdef");
    EXPECT_EQ(unique_lab_name("two-nat", 0x5), "two-nat-000005");
    std::string longest = unique_lab_name(std::string(40, 'x'), 1);
    EXPECT_EQ(longest.size(), kMaxNameLength);
    EXPECT_EQ(longest.substr(25), "-000001");
    // No doubled dash where the cut falls after one.
    EXPECT_EQ(unique_lab_name(std::string(24, 'x') + "-yy", 1), std::string(24, 'x') + "-000001");
}
