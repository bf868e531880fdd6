// natlab mappings names a NAT's peers by what they are, seen from that NAT:
// a node, the host(s) behind another NAT's external address, or a private
// address of another site that nothing leaving this NAT can reach.
#include <gtest/gtest.h>

#include "core/conntrack/peer_names.hpp"
#include "core/lifecycle/loaded_lab.hpp"
#include "test_util.hpp"

using namespace natlab;

namespace {

Lab bundled(const std::string& file) {
    return load_lab_file(test::source_path("labs/" + file), "t").lab;
}

Lab lab_of(const std::string& yaml) {
    return load_lab_text(yaml, "sites.yaml", "t").lab;
}

Endpoint ep(const char* address, std::uint16_t port) {
    return {*IpAddress::parse(address), port};
}

IpAddress ip(const char* address) {
    return *IpAddress::parse(address);
}

// Two sites behind their NATs, one of three hosts on a switch, one behind a
// one-to-one NAT (its other host gets nowhere), and a rendezvous.
const char* kSites = R"(
name: sites
nodes:
  internet: {kind: router}
  rendezvous: {routes: {default: internet}}
  nat-a: {kind: nat, outside: wan, routes: {default: internet}}
  nat-b: {kind: nat, outside: wan, routes: {default: internet}}
  nat-c: {kind: nat, outside: wan, routes: {default: internet}}
  nat-d: {kind: nat, outside: wan, routes: {default: internet}}
  nat-1: {kind: nat, outside: wan, preset: cloud-1to1, one-to-one: vm, routes: {default: internet}}
  ha: {routes: {default: nat-a}}
  hb: {routes: {default: nat-b}}
  lan-c: {kind: switch, subnet: 10.0.3.0/24}
  hc1: {routes: {default: nat-c}}
  hc2: {routes: {default: nat-c}}
  hd1: {routes: {default: nat-d}}
  hd2: {routes: {default: nat-d}}
  hd3: {routes: {default: nat-d}}
  hd4: {routes: {default: nat-d}}
  lan-d: {kind: switch, subnet: 10.0.4.0/24}
  vm: {routes: {default: nat-1}}
  other: {routes: {default: nat-1}}
  lan-1: {kind: switch, subnet: 10.0.9.0/24}
links:
  - {endpoints: [nat-a:lan, ha:eth0], subnet: 10.0.1.0/24}
  - {endpoints: [nat-b:lan, hb:eth0], subnet: 10.0.2.0/24}
  - {endpoints: [nat-c:lan, lan-c:p0]}
  - {endpoints: [hc1:eth0, lan-c:p1]}
  - {endpoints: [hc2:eth0, lan-c:p2]}
  - {endpoints: [nat-d:lan, lan-d:p0]}
  - {endpoints: [hd1:eth0, lan-d:p1]}
  - {endpoints: [hd2:eth0, lan-d:p2]}
  - {endpoints: [hd3:eth0, lan-d:p3]}
  - {endpoints: [hd4:eth0, lan-d:p4]}
  - {endpoints: [nat-1:lan, lan-1:p0]}
  - {endpoints: [other:eth0, lan-1:p1]}
  - {endpoints: [vm:eth0, lan-1:p2]}
  - {endpoints: [internet:a, nat-a:wan], subnet: 100.64.1.0/24}
  - {endpoints: [internet:b, nat-b:wan], subnet: 100.64.2.0/24}
  - {endpoints: [internet:c, nat-c:wan], subnet: 100.64.3.0/24}
  - {endpoints: [internet:d, nat-d:wan], subnet: 100.64.4.0/24}
  - {endpoints: [internet:one, nat-1:wan], subnet: 100.64.9.0/24}
  - {endpoints: [internet:rv, rendezvous:eth0], subnet: 203.0.113.0/24}
)";

}  // namespace

TEST(PeerNames, AnotherNatsPublicAddressIsTheHostBehindIt) {
    Lab lab = lab_of(kSites);
    PeerNames seen(lab, "nat-a");
    EXPECT_EQ(seen.remote_endpoint(ep("100.64.2.2", 41234)), "hb via nat-b 100.64.2.2:41234");
    PeerName p = seen.remote(ip("100.64.2.2"));
    EXPECT_EQ(p.node, "nat-b");
    EXPECT_EQ(p.name, "hb via nat-b");
    EXPECT_EQ(p.via, "nat-b");
    EXPECT_EQ(p.behind, "");
    EXPECT_EQ(p.reachable, true);
    // Several hosts behind it: any of them, named while few.
    EXPECT_EQ(seen.remote_endpoint(ep("100.64.3.2", 5000)), "hc1 or hc2 via nat-c 100.64.3.2:5000");
    EXPECT_EQ(seen.remote_endpoint(ep("100.64.4.2", 5000)),
              "one of 4 hosts via nat-d 100.64.4.2:5000");
    // A one-to-one NAT's address is its one host's, whoever else is behind it.
    EXPECT_EQ(seen.remote_endpoint(ep("100.64.9.2", 80)), "vm via nat-1 100.64.9.2:80");
}

TEST(PeerNames, ANodeThatHoldsTheAddressIsNamedByItself) {
    Lab lab = lab_of(kSites);
    PeerNames seen(lab, "nat-a");
    EXPECT_EQ(seen.remote_endpoint(ep("203.0.113.2", 3478)), "rendezvous 203.0.113.2:3478");
    EXPECT_EQ(seen.remote_endpoint(ep("100.64.2.1", 9)), "internet 100.64.2.1:9");
    PeerName p = seen.remote(ip("203.0.113.2"));
    EXPECT_EQ(p.node, "rendezvous");
    EXPECT_EQ(p.name, "rendezvous");
    EXPECT_EQ(p.via, "");
    EXPECT_EQ(p.reachable, true);
    // Its own public address (a hairpin) and its own site.
    EXPECT_EQ(seen.remote_endpoint(ep("100.64.1.2", 5000)), "nat-a 100.64.1.2:5000");
    EXPECT_EQ(seen.remote_endpoint(ep("10.0.1.2", 5000)), "ha 10.0.1.2:5000");
    EXPECT_EQ(seen.inside_endpoint(ep("10.0.1.2", 5000)), "ha 10.0.1.2:5000");
    // No node holds it: the endpoint alone, reachability unknown.
    EXPECT_EQ(seen.remote_endpoint(ep("198.51.100.7", 53)), "198.51.100.7:53");
    EXPECT_EQ(seen.remote(ip("198.51.100.7")).reachable, std::nullopt);
    EXPECT_EQ(seen.inside_node(ip("198.51.100.7")), std::nullopt);
}

TEST(PeerNames, APrivateAddressOfAnotherSiteCannotBeReached) {
    Lab lab = lab_of(kSites);
    PeerNames seen(lab, "nat-a");
    EXPECT_EQ(seen.remote_endpoint(ep("10.0.2.2", 5000)),
              "10.0.2.2:5000 (hb, behind nat-b: unreachable from nat-a's outside)");
    PeerName p = seen.remote(ip("10.0.2.2"));
    EXPECT_EQ(p.node, "hb");
    EXPECT_EQ(p.name, "hb");
    EXPECT_EQ(p.behind, "nat-b");
    EXPECT_EQ(p.reachable, false);
    // The other NAT's own inside address.
    EXPECT_EQ(seen.remote_endpoint(ep("10.0.2.1", 53)),
              "10.0.2.1:53 (nat-b's inside: unreachable from nat-a's outside)");
    // Seen from nat-b, the same holds the other way round.
    PeerNames from_b(lab, "nat-b");
    EXPECT_EQ(from_b.remote_endpoint(ep("10.0.1.2", 7)),
              "10.0.1.2:7 (ha, behind nat-a: unreachable from nat-b's outside)");
    EXPECT_EQ(from_b.remote_endpoint(ep("100.64.1.2", 7)), "ha via nat-a 100.64.1.2:7");
}

TEST(PeerNames, SitesThatReuseOnePrivateNetworkMeanTheirOwnHost) {
    Lab lab = lab_of(R"(
name: twins
nodes:
  internet: {kind: router}
  nat-a: {kind: nat, outside: wan, routes: {default: internet}}
  nat-b: {kind: nat, outside: wan, routes: {default: internet}}
  ha: {routes: {default: nat-a}}
  hb: {routes: {default: nat-b}}
links:
  - {endpoints: [nat-a:lan, ha:eth0], subnet: 192.168.1.0/24}
  - {endpoints: [nat-b:lan, hb:eth0], subnet: 192.168.1.0/24}
  - {endpoints: [internet:a, nat-a:wan], subnet: 100.64.1.0/24}
  - {endpoints: [internet:b, nat-b:wan], subnet: 100.64.2.0/24}
)");
    PeerNames from_b(lab, "nat-b");
    EXPECT_EQ(from_b.inside_endpoint(ep("192.168.1.2", 5000)), "hb 192.168.1.2:5000");
    EXPECT_EQ(from_b.remote_endpoint(ep("192.168.1.2", 5000)), "hb 192.168.1.2:5000");
    PeerNames from_a(lab, "nat-a");
    EXPECT_EQ(from_a.inside_endpoint(ep("192.168.1.2", 5000)), "ha 192.168.1.2:5000");
}

TEST(PeerNames, NestedNatsAndACarriersPool) {
    // pc-a, pc-b and pc-c behind home routers behind one carrier-grade NAT.
    Lab lab = bundled("cgnat.yaml");
    PeerNames home_a(lab, "home-a");
    // A neighbour on the carrier's side is reached through the access switch.
    EXPECT_EQ(home_a.remote_endpoint(ep("100.64.0.3", 4000)), "pc-b via home-b 100.64.0.3:4000");
    EXPECT_EQ(home_a.remote_endpoint(ep("203.0.113.2", 3478)), "server 203.0.113.2:3478");
    // The carrier's pool stands for everyone behind it.
    EXPECT_EQ(home_a.remote_endpoint(ep("198.51.100.201", 20000)),
              "pc-a, pc-b or pc-c via cgn 198.51.100.201:20000");
    EXPECT_EQ(home_a.remote_endpoint(ep("192.168.2.2", 4000)),
              "192.168.2.2:4000 (pc-b, behind home-b: unreachable from home-a's outside)");

    // From beyond the carrier, its subscribers' own addresses are private too:
    // the carrier hides them (and what is behind them) first.
    std::string text = test::read_text(test::source_path("labs/cgnat.yaml"));
    std::string nodes = "  internet: {kind: router}\n";
    text.replace(text.find(nodes), nodes.size(),
                 nodes +
                     "  far: {kind: nat, outside: wan, routes: {default: internet}}\n"
                     "  far-pc: {routes: {default: far}}\n");
    text +=
        "  - {endpoints: [internet:to-far, far:wan], subnet: 100.64.8.0/24}\n"
        "  - {endpoints: [far:lan, far-pc:eth0], subnet: 10.8.0.0/24}\n";
    Lab with_far = lab_of(text);
    PeerNames far(with_far, "far");
    EXPECT_EQ(far.remote_endpoint(ep("198.51.100.201", 20000)),
              "pc-a, pc-b or pc-c via cgn 198.51.100.201:20000");
    EXPECT_EQ(far.remote_endpoint(ep("100.64.0.3", 4000)),
              "100.64.0.3:4000 (pc-b via home-b, behind cgn: unreachable from far's outside)");
    EXPECT_EQ(far.remote_endpoint(ep("192.168.2.2", 4000)),
              "192.168.2.2:4000 (pc-b, behind cgn: unreachable from far's outside)");
    PeerName p = far.remote(ip("100.64.0.3"));
    EXPECT_EQ(p.via, "home-b");
    EXPECT_EQ(p.behind, "cgn");
    EXPECT_EQ(p.reachable, false);
}
