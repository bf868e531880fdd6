// Every node's name resolving on every node: the lab's hosts file and
// resolv.conf, and the /etc/netns link that natlab knows as its own.
#include <gtest/gtest.h>

#include "core/hostnames/hosts_file.hpp"
#include "core/hostnames/resolv_conf.hpp"
#include "core/lifecycle/loaded_lab.hpp"
#include "core/names/netns_etc.hpp"
#include "test_util.hpp"

using namespace natlab;

namespace {

Lab lab_of(const std::string& text) {
    return load_lab_text(text, "lab.yaml").lab;
}

std::vector<std::string> addresses_of(const Lab& lab, const std::string& node) {
    std::vector<std::string> out;
    for (const auto& a : name_addresses(*lab.find_node(node))) out.push_back(a.str());
    return out;
}

}  // namespace

TEST(HostsFile, EveryNodeOfTheTwoNatLabWithTheLabAsDomain) {
    Lab lab = load_lab_file(test::source_path("labs/two-nat.yaml"), "t").lab;
    EXPECT_EQ(hosts_file(lab),
              "# The names of lab t, written by natlab: each node as NODE.t and NODE for every "
              "address it holds.\n"
              "127.0.0.1\tlocalhost\n"
              "::1\tlocalhost ip6-localhost ip6-loopback\n"
              "10.0.1.2\tc0.t c0\n"
              "10.0.2.2\tc1.t c1\n"
              // A NAT's outside (public) address first, as NATLAB_NODE_NAT0_IPV4.
              "100.64.1.100\tnat0.t nat0\n"
              "10.0.1.1\tnat0.t nat0\n"
              "100.64.2.100\tnat1.t nat1\n"
              "10.0.2.1\tnat1.t nat1\n"
              "100.64.1.1\tinternet.t internet\n"
              "100.64.2.1\tinternet.t internet\n");
}

TEST(HostsFile, BothFamiliesAndNoLinkLocalAddress) {
    Lab lab = load_lab_file(test::source_path("labs/dual-stack.yaml"), "d").lab;
    EXPECT_EQ(addresses_of(lab, "home"), (std::vector<std::string>{"100.64.1.2", "2001:db8:ffff::2",
                                                                   "10.0.1.1", "2001:db8:1:1::1"}));
    EXPECT_EQ(addresses_of(lab, "laptop"),
              (std::vector<std::string>{"10.0.1.2", "2001:db8:1:1::2"}));
    // The loader refuses a link-local subnet; one the kernel gives is added here.
    Lab with_link_local = lab_of(R"(name: ll
nodes:
  a: {}
  b: {}
links:
  - {endpoints: [a:eth0, b:eth0], subnet: "fd00::/64"}
)");
    with_link_local.nodes[0].interfaces[0].addresses.insert(
        with_link_local.nodes[0].interfaces[0].addresses.begin(), *Cidr::parse("fe80::1/64"));
    EXPECT_EQ(addresses_of(with_link_local, "a"), std::vector<std::string>{"fd00::1"});
}

TEST(HostsFile, ASwitchHoldsNoAddressAndHasNoLine) {
    Lab lab = lab_of(R"(name: sw
nodes:
  s: {kind: switch}
  a: {}
  b: {}
links:
  - {endpoints: [s:p1, a:eth0 10.0.0.1/24]}
  - {endpoints: [s:p2, b:eth0 10.0.0.2/24]}
)");
    std::string text = hosts_file(lab);
    EXPECT_NE(text.find("10.0.0.1\ta.sw a\n10.0.0.2\tb.sw b\n"), std::string::npos) << text;
    EXPECT_EQ(text.find("s.sw"), std::string::npos) << text;
}

TEST(HostsFile, AContainersMachineNameUnlessANodeHasThatName) {
    Lab lab = lab_of(R"(name: m
nodes:
  a: {container: true}
  m-b: {container: true}
  b: {container: true}
links:
  - {endpoints: [a:eth0, b:eth0], subnet: 10.0.0.0/24}
  - {endpoints: [m-b:eth0, b:eth1], subnet: 10.0.1.0/24}
)");
    EXPECT_EQ(node_names(lab, *lab.find_node("a")), (std::vector<std::string>{"a.m", "a", "m-a"}));
    // "m-b" is a node of its own: b's machine name would make it ambiguous.
    EXPECT_EQ(node_names(lab, *lab.find_node("b")), (std::vector<std::string>{"b.m", "b"}));
}

TEST(ResolvConf, SearchesTheLabAndAsksOnlyTheNodesOwnLoopback) {
    Lab lab = load_lab_file(test::source_path("labs/two-nat.yaml"), "t").lab;
    EXPECT_EQ(resolv_conf(lab),
              "# Lab t, written by natlab: the lab's names are in /etc/hosts; no DNS server\n"
              "# runs in the lab, and nothing listens on 127.0.0.1 unless you start it.\n"
              "search t\n"
              "nameserver 127.0.0.1\n");
}

TEST(NetnsEtc, TheLinkNamesItsLabAndItsNameTheNode) {
    EXPECT_EQ(netns_etc_path("two-nat-c0"), "/etc/netns/two-nat-c0");
    EXPECT_EQ(netns_etc_target("two-nat"), "/run/natlab/two-nat/etc");
    auto owner = netns_etc_owner("two-nat-c0", "/run/natlab/two-nat/etc");
    ASSERT_TRUE(owner);
    EXPECT_EQ(owner->lab, "two-nat");
    EXPECT_EQ(owner->node, "c0");
    // The lab is the target's, not a guess from the entry's name: lab "a"
    // node "b-c" and lab "a-b" node "c" are both "a-b-c".
    EXPECT_EQ(netns_etc_owner("a-b-c", "/run/natlab/a/etc")->node, "b-c");
    EXPECT_EQ(netns_etc_owner("a-b-c", "/run/natlab/a-b/etc")->node, "c");
}

TEST(NetnsEtc, OnlyTheExactShapeNatlabWritesIsItsOwn) {
    for (const char* target :
         {"/run/natlab/two-nat/etc/", "/run/natlab/two-nat/etc/c1", "/run/natlab/two-nat/etc/c0/",
          "/run/natlab/two-nat/etc/c0/etc", "/run/natlab/two-nat/", "/run/natlab/two-nat",
          "/run/natlab//etc", "/run/natlab/../etc", "/run/natlab/etc", "/run/natlab/Two-nat/etc",
          "run/natlab/two-nat/etc", "/etc/netns/two-nat", "/run/natlab/two-nat/etc ",
          "/run/natlabx/two-nat/etc", "/run/natlab/two-nat/x/etc", ""})
        EXPECT_FALSE(netns_etc_owner("two-nat-c0", target)) << target;
    // A name that is not the lab's for a node.
    for (const char* name :
         {"two-nat", "two-nat-", "other-c0", "two-natc0", "two-nat-C0", "two-nat-c/0"})
        EXPECT_FALSE(netns_etc_owner(name, "/run/natlab/two-nat/etc")) << name;
}
