// The lab's DNS server: the 'dns:' key loaded and refused, the zone and
// unbound's configuration rendered, which of the server's addresses each
// node asks, the hosts file and resolv.conf of a lab with a server, and the
// server as a step of the plan.
#include <gtest/gtest.h>

#include "core/dns/dns_zone.hpp"
#include "core/dns/unbound_conf.hpp"
#include "core/hostnames/dns_daemon.hpp"
#include "core/hostnames/hosts_file.hpp"
#include "core/hostnames/lab_resolver.hpp"
#include "core/hostnames/resolv_conf.hpp"
#include "core/lifecycle/loaded_lab.hpp"
#include "core/names/netns_etc.hpp"
#include "core/topology/emit_yaml.hpp"
#include "core/topology/load.hpp"
#include "core/topology/validate.hpp"
#include "test_util.hpp"

using namespace natlab;

namespace {

// laptop: dual-stack behind home's NAT; phone: IPv6 only behind home;
// island: behind home with no route out; legacy: IPv4 only; internet: the
// server.
const char* const kLab = R"(name: d
nodes:
  laptop: {kind: host, routes: {default: home}}
  phone: {kind: host, routes: {default: home}}
  island: {kind: host}
  home: {kind: nat, outside: wan, routes: {default: internet}, ipv6: firewall}
  internet:
    kind: router
    dns: {dns64: 2001:db8:64::/96, records: {WWW.Example.com.: 203.0.113.2}}
  server: {kind: host, routes: {default: internet}}
  legacy: {kind: host, routes: {default: internet}}
links:
  - {endpoints: [home:lan, laptop:eth0], subnet: [10.0.1.0/24, "2001:db8:1:1::/64"]}
  - {endpoints: [home:lan6, phone:eth0], subnet: "2001:db8:1:2::/64"}
  - {endpoints: [home:lan9, island:eth0], subnet: 10.0.9.0/24}
  - {endpoints: [internet:to-home, home:wan], subnet: [100.64.1.0/24, "2001:db8:ffff::/64"]}
  - {endpoints: [internet:srv, server:eth0], subnet: [203.0.113.0/24, "2001:db8:2::/64"]}
  - {endpoints: [internet:old, legacy:eth0], subnet: 198.51.100.0/24}
)";

Lab lab_of(const std::string& text) {
    return load_lab_text(text, "lab.yaml").lab;
}

std::vector<std::string> resolvers(const Lab& lab, const std::string& node) {
    std::vector<std::string> out;
    for (const auto& a : resolver_addresses(lab, *lab.find_node(node))) out.push_back(a.str());
    return out;
}

std::string problems(const std::string& text) {
    Diagnostics diag("lab.yaml");
    Topology topo = load_topology(text, "lab.yaml", diag);
    if (diag.empty()) (void)validate(topo, diag);
    return diag.render();
}

std::string with_dns(const std::string& node_keys) {
    return "name: d\nnodes:\n  a: {" + node_keys +
           "}\n  b: {}\nlinks:\n  - {endpoints: [a:eth0, b:eth0], subnet: 10.0.0.0/24}\n";
}

}  // namespace

TEST(DnsZone, ReverseNamesOfBothFamilies) {
    EXPECT_EQ(reverse_name(*IpAddress::parse("10.0.1.2")), "2.1.0.10.in-addr.arpa");
    EXPECT_EQ(reverse_name(*IpAddress::parse("2001:db8::1")),
              "1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa");
}

TEST(DnsZone, EveryNameAndOnePointerPerAddress) {
    std::vector<DnsName> names = {
        {"c0.t", {*IpAddress::parse("10.0.1.2"), *IpAddress::parse("fd00::2")}},
        {"www.example.com", {*IpAddress::parse("10.0.1.2")}}};
    EXPECT_EQ(render_zone("srv.t", names),
              "; The lab's names, written by natlab: every name the lab's DNS server answers "
              "for.\n"
              "$TTL 5\n"
              ". IN SOA srv.t. hostmaster.srv.t. 1 3600 600 86400 5\n"
              ". IN NS srv.t.\n"
              "c0.t. IN A 10.0.1.2\n"
              "c0.t. IN AAAA fd00::2\n"
              "www.example.com. IN A 10.0.1.2\n"
              "2.1.0.10.in-addr.arpa. IN PTR c0.t.\n"
              "2.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.d.f.ip6.arpa. IN PTR "
              "c0.t.\n");
}

TEST(UnboundConf, Dns64GoesThroughTheModulesAndTheZoneIsForUpstream) {
    UnboundSettings s{"/run/natlab/d/dns",
                      "/run/natlab/d/dns/unbound.pid",
                      "/run/natlab/d/dns/lab.zone",
                      {*IpAddress::parse("100.64.1.1"), *IpAddress::parse("2001:db8::1")},
                      Cidr::parse("64:ff9b::/96")};
    std::string conf = render_unbound_conf(s);
    for (const char* line :
         {"    interface: 100.64.1.1\n", "    interface: 2001:db8::1\n", "    do-ip6: yes\n",
          "    module-config: \"dns64 iterator\"\n", "    dns64-prefix: 64:ff9b::/96\n",
          "    username: \"\"\n", "    chroot: \"\"\n", "    control-enable: no\n",
          "    name: \".\"\n", "    for-upstream: yes\n", "    for-downstream: no\n",
          "    zonefile: \"/run/natlab/d/dns/lab.zone\"\n"})
        EXPECT_NE(conf.find(line), std::string::npos) << line;
    s.dns64.reset();
    s.interfaces.pop_back();
    conf = render_unbound_conf(s);
    EXPECT_NE(conf.find("    module-config: \"iterator\"\n"), std::string::npos);
    EXPECT_NE(conf.find("    do-ip6: no\n"), std::string::npos);
    EXPECT_EQ(conf.find("dns64"), std::string::npos);
}

TEST(LabResolver, EachNodeAsksAtTheAddressesItReaches) {
    Lab lab = lab_of(kLab);
    ASSERT_TRUE(lab.dns);
    EXPECT_EQ(lab.dns->node, "internet");
    // Through home's NAT (IPv4) and its firewall (IPv6, out and answered).
    EXPECT_EQ(resolvers(lab, "laptop"),
              (std::vector<std::string>{"100.64.1.1", "2001:db8:ffff::1", "203.0.113.1"}));
    EXPECT_EQ(resolvers(lab, "phone"),
              (std::vector<std::string>{"2001:db8:ffff::1", "2001:db8:2::1"}));
    EXPECT_EQ(resolvers(lab, "legacy"),
              (std::vector<std::string>{"198.51.100.1", "100.64.1.1", "203.0.113.1"}));
    EXPECT_EQ(resolvers(lab, "island"), std::vector<std::string>{});
    // A shared subnet first: home asks at its neighbour's address.
    EXPECT_EQ(resolvers(lab, "home").front(), "100.64.1.1");
    EXPECT_EQ(resolvers(lab, "internet").size(), 3u);
}

TEST(LabResolver, NothingBeginsBehindANatFromOutside) {
    // The server behind a NAT: the outside asks at none of its addresses.
    Lab lab = lab_of(std::string(R"(name: d
nodes:
  laptop: {kind: host, routes: {default: home}, dns: true}
  home: {kind: nat, outside: wan, routes: {default: internet}}
  internet: {kind: router}
links:
  - {endpoints: [home:lan, laptop:eth0], subnet: 10.0.1.0/24}
  - {endpoints: [internet:to-home, home:wan], subnet: 100.64.1.0/24}
)"));
    EXPECT_EQ(resolvers(lab, "internet"), std::vector<std::string>{});
    EXPECT_EQ(resolvers(lab, "home"), std::vector<std::string>{"10.0.1.2"});
    EXPECT_NE(resolv_conf(lab, *lab.find_node("internet"))
                  .find("# internet reaches none of laptop's addresses"),
              std::string::npos);
}

TEST(LabResolver, ANatServesItsInsideAndOverIpv6ItsOutside) {
    // home runs the server: its IPv4 rules drop what opens a flow from
    // outside, even to home itself; its IPv6 firewall lets that in.
    std::string text = kLab;
    text.replace(text.find("    dns: {dns64"), std::string("    dns: {dns64").size(),
                 "    x-dns: {dns64");
    text.replace(text.find("ipv6: firewall}"), std::string("ipv6: firewall}").size(),
                 "ipv6: firewall, dns: true}");
    text.replace(text.find("    x-dns: "), std::string("    x-dns: ").size(), "    sysctls: ");
    text.replace(
        text.find("{dns64: 2001:db8:64::/96, records: {WWW.Example.com.: 203.0.113.2}}"),
        std::string("{dns64: 2001:db8:64::/96, records: {WWW.Example.com.: 203.0.113.2}}").size(),
        "{}");
    Lab lab = lab_of(text);
    ASSERT_TRUE(lab.dns);
    EXPECT_EQ(lab.dns->node, "home");
    EXPECT_EQ(resolvers(lab, "internet"),
              (std::vector<std::string>{"2001:db8:ffff::2", "2001:db8:1:1::1", "2001:db8:1:2::1"}));
    EXPECT_EQ(resolvers(lab, "legacy"), std::vector<std::string>{});
    EXPECT_EQ(resolvers(lab, "laptop").front(), "10.0.1.1");
    EXPECT_EQ(resolvers(lab, "island"), std::vector<std::string>{"10.0.9.1"});
}

TEST(LabResolver, AllowOutboundWithoutDnsKeepsTheQuestionsIn) {
    std::string text = kLab;
    std::string home = "ipv6: firewall}";
    text.replace(text.find(home), home.size(), "ipv6: firewall, allow-outbound: [tcp/443]}");
    Lab lab = lab_of(text);
    EXPECT_EQ(resolvers(lab, "laptop"), std::vector<std::string>{});
    text = kLab;
    text.replace(text.find(home), home.size(), "ipv6: firewall, allow-outbound: [udp/53]}");
    EXPECT_EQ(resolvers(lab_of(text), "laptop").size(), 3u);
}

TEST(LabResolver, NamesOfEveryNodeAndTheDeclaredOnes) {
    Lab lab = lab_of(kLab);
    std::vector<DnsName> names = lab_dns_names(lab);
    ASSERT_EQ(names.size(), 9u);
    EXPECT_EQ(names.front().name, "laptop.d");
    EXPECT_EQ(names[7], (DnsName{"www.example.com", {*IpAddress::parse("203.0.113.2")}}));
    // With DNS64, RFC 7050's name for finding the prefix, as its A records.
    EXPECT_EQ(names.back(),
              (DnsName{"ipv4only.arpa",
                       {*IpAddress::parse("192.0.0.170"), *IpAddress::parse("192.0.0.171")}}));
}

TEST(LabResolver, HostsHoldsLocalhostAloneAndEachNodeItsResolvConf) {
    Lab lab = lab_of(kLab);
    EXPECT_EQ(hosts_file(lab),
              "# Lab d, written by natlab: its names are answered by its DNS server on internet "
              "(see resolv.conf).\n"
              "127.0.0.1\tlocalhost\n"
              "::1\tlocalhost ip6-localhost ip6-loopback\n");
    EXPECT_EQ(resolv_conf(lab, *lab.find_node("phone")),
              "# Lab d, node phone, written by natlab: the lab's DNS server runs on internet.\n"
              "search d\n"
              "nameserver 2001:db8:ffff::1\n"
              "nameserver 2001:db8:2::1\n");
    EXPECT_EQ(resolv_conf(lab, *lab.find_node("island")),
              "# Lab d, node island, written by natlab: the lab's DNS server runs on internet.\n"
              "# island reaches none of internet's addresses by the lab's routes (a NAT or a "
              "missing route\n"
              "# between them), so it asks 127.0.0.1, where nothing answers, and fails at once.\n"
              "search d\n"
              "nameserver 127.0.0.1\n");
}

TEST(LabResolver, TheServerIsAStepAfterTheRoutes) {
    LoadedLab loaded = load_lab_text(kLab, "lab.yaml");
    const StartDaemon* daemon = nullptr;
    std::size_t last_route = 0, at = 0;
    for (std::size_t i = 0; i < loaded.plan.steps.size(); ++i) {
        if (std::holds_alternative<AddRoute>(loaded.plan.steps[i])) last_route = i;
        if (auto* d = std::get_if<StartDaemon>(&loaded.plan.steps[i])) daemon = d, at = i;
    }
    ASSERT_NE(daemon, nullptr);
    EXPECT_GT(at, last_route);
    EXPECT_EQ(daemon->netns, "d-internet");
    EXPECT_EQ(daemon->daemon.argv,
              (std::vector<std::string>{"unbound", "-d", "-c", "/run/natlab/d/dns/unbound.conf"}));
    EXPECT_EQ(daemon->daemon.ready.kind, DaemonReady::Kind::udp_port);
    EXPECT_EQ(daemon->daemon.files.size(), 2u);
}

TEST(LabResolver, WrittenBackAsYamlItLoadsTheSame) {
    Diagnostics diag("lab.yaml");
    Topology topo = load_topology(kLab, "lab.yaml", diag);
    ASSERT_TRUE(diag.empty()) << diag.render();
    LoadedLab again = load_lab_text(emit_yaml(topo), "lab.yaml");
    EXPECT_EQ(again.lab.dns, lab_of(kLab).dns);
}

TEST(NetnsEtc, ANodesOwnDirectoryIsNatlabsLinkToo) {
    auto owner = netns_etc_owner("lab-c0", "/run/natlab/lab/etc/c0");
    ASSERT_TRUE(owner);
    EXPECT_EQ(owner->lab, "lab");
    EXPECT_EQ(owner->node, "c0");
    EXPECT_FALSE(netns_etc_owner("lab-c0", "/run/natlab/lab/etc/c1"));
    EXPECT_FALSE(netns_etc_owner("lab-c0", "/run/natlab/lab/etc/c0/x"));
}

TEST(DnsKey, RefusedWhereWrittenWithTheFix) {
    EXPECT_EQ(problems(with_dns("dns: {dns64: 64:ff9b::/64}")),
              "lab.yaml:3:20: dns64 '64:ff9b::/64' is not an IPv6 /96; natlab synthesizes AAAA as "
              "the prefix followed by the 32 bits of the IPv4 address (RFC 6052); write an IPv6 "
              "/96 such as 64:ff9b::/96 (the well-known prefix) or 2001:db8:64::/96\n");
    EXPECT_EQ(problems(with_dns("dns: {dns64: 10.0.0.0/8}")).substr(0, 52),
              "lab.yaml:3:20: dns64 '10.0.0.0/8' is not an IPv6 /96");
    EXPECT_EQ(problems(with_dns("dns: {records: {www: 10.0.0.9}}")),
              "lab.yaml:3:23: name 'www' is a single label, which the lab's search domain would "
              "take over; write a fully-qualified name such as www.example.com\n");
    EXPECT_EQ(problems(with_dns("dns: {records: {www.example.com: 10.0.0.300}}")),
              "lab.yaml:3:40: address '10.0.0.300' of name 'www.example.com' is not an address a "
              "name can have; write an IPv4 or IPv6 address such as 203.0.113.10 or "
              "2001:db8::10\n");
    EXPECT_EQ(problems(with_dns("dns: maybe")),
              "lab.yaml:3:12: 'dns' must be true, false or a mapping, got 'maybe'; write dns: "
              "true, or dns: {dns64: 64:ff9b::/96, records: {www.example.com: 203.0.113.10}}\n");
    EXPECT_EQ(problems(with_dns("dns: {records: {a.d: 10.0.0.9}}")),
              "lab.yaml:3:23: name 'a.d' is node 'a''s, which the DNS server answers with its "
              "addresses; choose another name\n");
}

TEST(DnsKey, OneServerPerLab) {
    EXPECT_EQ(problems("name: d\nnodes:\n  a: {dns: true}\n  b: {dns: true}\n"
                       "links:\n  - {endpoints: [a:eth0, b:eth0], subnet: 10.0.0.0/24}\n"),
              "lab.yaml:4:7: node 'b' has 'dns', and so has node 'a' at 3:7; a lab has one DNS "
              "server: remove one of them\n");
    EXPECT_EQ(problems("name: d\nnodes:\n  a: {dns: true}\n  s: {kind: switch, dns: true}\n"
                       "links:\n  - {endpoints: [a:eth0, s:p0], subnet: 10.0.0.0/24}\n"),
              "lab.yaml:4:26: key 'dns' applies only to host, router and nat nodes and 's' is a "
              "switch; a switch holds no address to serve from: put 'dns' on a node attached "
              "to it\n");
}
