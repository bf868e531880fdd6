// The ND-proxy home: a router or NAT node answering neighbour solicitations
// on its WAN for the LAN hosts that use addresses of the WAN's own /64, and
// routes through link-local gateways. Accepted with 'nd-proxy', refused
// without it with the fix, and planned as proxy entries, sysctls and routes.
#include <gtest/gtest.h>

#include <algorithm>

#include "core/lifecycle/loaded_lab.hpp"
#include "core/render/render.hpp"
#include "core/topology/load.hpp"
#include "core/util/invalid_input.hpp"
#include "test_util.hpp"

namespace natlab {
namespace {

std::string bundled() {
    return test::read_text(test::source_path("labs/nd-proxy.yaml"));
}

std::string replaced(std::string text, const std::string& from, const std::string& to) {
    auto at = text.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    if (at != std::string::npos) text.replace(at, from.size(), to);
    return text;
}

// What loading `text` refuses, as natlab prints it.
std::string refusal(const std::string& text) {
    try {
        load_lab_text(text, "t.yaml");
    } catch (const InvalidInput& e) {
        return e.what();
    }
    return "accepted";
}

std::vector<std::string> routes_of(const Lab& lab, const std::string& node) {
    std::vector<std::string> out;
    for (const auto& r : lab.find_node(node)->routes)
        if (r.destination.address.family == Family::ipv6)
            out.push_back(r.destination.str() + (r.gateway ? " via " + r.gateway->str() : "") +
                          (r.device.empty() ? "" : " dev " + r.device));
    return out;
}

std::vector<std::string> answered(const Lab& lab, const std::string& node) {
    std::vector<std::string> out;
    for (const auto& p : lab.find_node(node)->nd_proxy)
        out.push_back(p.interface + " " + p.address.str());
    std::sort(out.begin(), out.end());
    return out;
}

// The script's lines that mention `word`, in order.
std::vector<std::string> shell_lines(const Plan& plan, const std::string& word) {
    std::vector<std::string> out;
    std::string script = render_shell(plan);
    for (std::size_t start = 0; start < script.size();) {
        auto end = script.find('\n', start);
        std::string line = script.substr(start, end - start);
        if (line.find(word) != std::string::npos) out.push_back(line);
        start = end == std::string::npos ? script.size() : end + 1;
    }
    return out;
}

TEST(NdProxy, TheBundledLabIsRefusedWithoutItsDeclarationAndNamesTheFix) {
    std::string without = replaced(bundled(), "nd-proxy: [wan], ", "");
    EXPECT_EQ(refusal(without),
              "t.yaml:32:48: address 2001:db8::100/128 of laptop:eth0 (on the link of home:lan) is "
              "in 2001:db8::/64, the subnet of home:wan, where neighbours ask for it and no one "
              "answers; declare 'nd-proxy: [wan]' on 'home' so that 'home' answers there for the "
              "hosts on its other links, or give the links of 'home' subnets that do not "
              "overlap\nnatlab: 1 problem in t.yaml; nothing was done");
}

TEST(NdProxy, TheBundledLabAnswersForTheLaptopOnWanAndRoutesItOutOfLan) {
    LoadedLab loaded = load_lab_file(test::source_path("labs/nd-proxy.yaml"));
    EXPECT_EQ(answered(loaded.lab, "home"), std::vector<std::string>{"wan 2001:db8::100"});
    EXPECT_EQ(routes_of(loaded.lab, "home"),
              (std::vector<std::string>{"::/0 via fe80::1 dev wan", "2001:db8::100/128 dev lan"}));
    EXPECT_EQ(routes_of(loaded.lab, "laptop"),
              std::vector<std::string>{"::/0 via fe80::1 dev eth0"});
    // isp is on the laptop's prefix itself: nothing is delegated to it.
    EXPECT_EQ(routes_of(loaded.lab, "isp"), std::vector<std::string>{});
    EXPECT_EQ(loaded.lab.find_node("home")->find_interface("lan")->link_local,
              Cidr::parse("fe80::1/64"));
    EXPECT_EQ(
        shell_lines(loaded.plan, "nd-proxy-home"),
        (std::vector<std::string>{
            "ip netns add nd-proxy-home",
            "ip -n nd-proxy-home link set lo up alias 'natlab lab=nd-proxy node=home'",
            "ip netns exec nd-proxy-home sysctl -qw net.ipv4.ip_forward=1",
            "ip netns exec nd-proxy-home sysctl -qw net.ipv6.conf.all.forwarding=1",
            "ip netns exec nd-proxy-home sysctl -qw net.ipv6.conf.all.accept_dad=0",
            "ip netns exec nd-proxy-home sysctl -qw net.ipv6.conf.default.accept_dad=0",
            "ip link add to-home numtxqueues 1 numrxqueues 1 index 2 address "
            "02:35:8b:5c:10:4b netns nd-proxy-isp type veth peer name wan numtxqueues 1 "
            "numrxqueues 1 index 3 address 02:45:ce:b8:65:68 netns nd-proxy-home",
            "ip link add lan numtxqueues 1 numrxqueues 1 index 4 address 02:50:8e:cf:70:0c "
            "netns nd-proxy-home type veth peer name eth0 numtxqueues 1 numrxqueues 1 index 5 "
            "address 02:6e:f9:f0:2e:5b netns nd-proxy-laptop",
            "ip netns exec nd-proxy-home sysctl -qw net.ipv6.conf.wan.proxy_ndp=1",
            "ip netns exec nd-proxy-home sysctl -qw net.ipv6.neigh.wan.proxy_delay=0",
            "ip -n nd-proxy-home addr add 2001:db8::2/64 dev wan nodad",
            "ip -n nd-proxy-home addr add fe80::1/64 dev lan nodad",
            "ip -n nd-proxy-home link set wan up",
            "ip -n nd-proxy-home link set lan up",
            "ip -6 -n nd-proxy-home route add default via fe80::1 dev wan",
            "ip -6 -n nd-proxy-home route add 2001:db8::100/128 dev lan",
            "ip -6 -n nd-proxy-home neigh add proxy 2001:db8::100 dev wan",
            "ip netns delete nd-proxy-home 2>/dev/null || true",
        }));
}

TEST(NdProxy, PlainTextNamesEachStep) {
    std::string text = render_text(load_lab_file(test::source_path("labs/nd-proxy.yaml")).plan);
    for (const char* line :
         {"  adding default route via fe80::1 on home:wan in namespace nd-proxy-home\n",
          "  adding route to 2001:db8::100/128 through home:lan in namespace nd-proxy-home\n",
          "  answering neighbour solicitations for 2001:db8::100 on home:wan in namespace "
          "nd-proxy-home\n"})
        EXPECT_NE(text.find(line), std::string::npos) << line << text;
}

// The LAN on the very /64 of the WAN: its hosts take the ISP's addresses to
// be on their link too, so the node answers on both sides.
constexpr const char* kSameSlash64 = R"(name: t
nodes:
  isp: {kind: router}
  home: {kind: nat, outside: wan, nd-proxy: [wan, lan], routes: {default: isp}}
  pc: {routes: {default: home}}
  tv: {routes: {default: home}}
  sw: {kind: switch}
links:
  - {endpoints: [isp:to-home, home:wan], subnet: [100.64.0.0/24, "2001:db8::/64"]}
  - {endpoints: [home:lan, sw:p0], subnet: [192.168.1.0/24, "2001:db8::/64"]}
  - {endpoints: [pc:eth0, sw:p1]}
  - {endpoints: [tv:eth0 2001:db8::1:5, sw:p2]}
)";

TEST(NdProxy, OneSlash64OnBothSidesIsAnsweredBothWaysWithAddressesUniqueAcrossIt) {
    Lab lab = load_lab_text(kSameSlash64, "t.yaml").lab;
    // Handed out once across both links: the LAN continues after the WAN.
    EXPECT_EQ(lab.find_node("home")->find_interface("lan")->addresses[1].str(), "2001:db8::3/64");
    EXPECT_EQ(lab.find_node("pc")->interfaces[0].addresses[1].str(), "2001:db8::4/64");
    EXPECT_EQ(answered(lab, "home"), (std::vector<std::string>{
                                         "lan 2001:db8::1",
                                         "lan 2001:db8::2",
                                         "wan 2001:db8::1:5",
                                         "wan 2001:db8::3",
                                         "wan 2001:db8::4",
                                     }));
    EXPECT_EQ(routes_of(lab, "home"), (std::vector<std::string>{
                                          "::/0 via 2001:db8::1",
                                          "2001:db8::1/128 dev wan",
                                          "2001:db8::4/128 dev lan",
                                          "2001:db8::1:5/128 dev lan",
                                      }));
    EXPECT_EQ(routes_of(lab, "pc"), std::vector<std::string>{"::/0 via 2001:db8::3"});
}

TEST(NdProxy, OneSlash64OnBothSidesNeedsBothInterfaces) {
    std::string text = replaced(kSameSlash64, "nd-proxy: [wan, lan]", "nd-proxy: [wan]");
    EXPECT_EQ(refusal(text),
              "t.yaml:9:18: address 2001:db8::1/64 of isp:to-home (on the link of home:wan) is in "
              "2001:db8::/64, the subnet of home:lan, where neighbours ask for it and no one "
              "answers; declare 'nd-proxy: [wan, lan]' on 'home' so that 'home' answers there for "
              "the hosts on its other links, or give the links of 'home' subnets that do not "
              "overlap\nnatlab: 1 problem in t.yaml; nothing was done");
}

// A /120 carved from the WAN's /64: the LAN's own prefix is more specific,
// and its hosts reach the ISP through their default route.
constexpr const char* kCarved = R"(name: t
nodes:
  isp: {kind: router, routes: {default: internet}}
  internet: {kind: router}
  home: {kind: router, nd-proxy: wan, routes: {default: isp}}
  pc: {routes: {default: home}}
  guest: {routes: {default: home}}
links:
  - {endpoints: [internet:to-isp, isp:up], subnet: "2001:db8:ffff::/64"}
  - {endpoints: [isp:to-home, home:wan], subnet: "2001:db8::/64"}
  - {endpoints: [home:lan, pc:eth0], subnet: "2001:db8::100/120"}
  - {endpoints: [home:guest, guest:eth0], subnet: "2001:db8:1::/64"}
)";

TEST(NdProxy, ACarvedPrefixIsAnsweredOnWanAndNotDelegated) {
    Lab lab = load_lab_text(kCarved, "t.yaml").lab;
    EXPECT_EQ(answered(lab, "home"),
              (std::vector<std::string>{"wan 2001:db8::101", "wan 2001:db8::102"}));
    EXPECT_EQ(routes_of(lab, "home"),
              (std::vector<std::string>{"::/0 via 2001:db8::1", "2001:db8::102/128 dev lan"}));
    // The guest network is delegated as ever; the /120 is on isp's own link.
    EXPECT_EQ(routes_of(lab, "isp"), (std::vector<std::string>{"::/0 via 2001:db8:ffff::1",
                                                               "2001:db8:1::/64 via "
                                                               "2001:db8::2"}));
    EXPECT_EQ(routes_of(lab, "internet"),
              (std::vector<std::string>{"2001:db8::/64 via 2001:db8:ffff::2",
                                        "2001:db8:1::/64 via 2001:db8:ffff::2"}));
}

TEST(NdProxy, ARouteWrittenToAnAnsweredHostWinsOverTheNodesOwn) {
    std::string text = replaced(kCarved, "routes: {default: isp}}",
                                "routes: {default: isp, 2001:db8::102/128: pc}}");
    EXPECT_EQ(routes_of(load_lab_text(text, "t.yaml").lab, "home"),
              (std::vector<std::string>{"::/0 via 2001:db8::1",
                                        "2001:db8::102/128 via "
                                        "2001:db8::102"}));
}

// Delegation follows a default route through a link-local gateway.
TEST(NdProxy, DelegationFollowsALinkLocalDefaultRoute) {
    std::string text = replaced(replaced(kCarved,
                                         "home: {kind: router, nd-proxy: wan, routes: "
                                         "{default: isp}}",
                                         "home: {kind: router, nd-proxy: wan, routes: {default: "
                                         "\"fe80::1%wan\"}}"),
                                "isp:to-home,", "isp:to-home fe80::1,");
    Lab lab = load_lab_text(text, "t.yaml").lab;
    EXPECT_EQ(routes_of(lab, "home"),
              (std::vector<std::string>{"::/0 via fe80::1 dev wan", "2001:db8::102/128 dev lan"}));
    EXPECT_EQ(routes_of(lab, "isp"), (std::vector<std::string>{"::/0 via 2001:db8:ffff::1",
                                                               "2001:db8:1::/64 via "
                                                               "2001:db8::2"}));
}

// Without a global address there, the parent routes back to the node's
// declared link-local through its own end of the link.
TEST(NdProxy, DelegationBackToALinkLocalOnlyUplink) {
    Lab lab = load_lab_text(R"(name: t
nodes:
  isp: {kind: router}
  home: {kind: router, routes: {default: "fe80::1%wan"}}
  pc: {routes: {default: home}}
links:
  - {endpoints: [isp:to-home fe80::1 10.0.0.1/24, home:wan fe80::2 10.0.0.2/24]}
  - {endpoints: [home:lan, pc:eth0], subnet: "2001:db8:1::/64"}
)",
                            "t.yaml")
                  .lab;
    EXPECT_EQ(routes_of(lab, "isp"),
              std::vector<std::string>{"2001:db8:1::/64 via fe80::2 dev to-home"});
}

TEST(NdProxy, ANodeNameGatewayFindsTheNeighboursDeclaredLinkLocal) {
    std::string text =
        replaced(bundled(), "laptop: {kind: host, routes: {default: \"fe80::1%eth0\"}}",
                 "laptop: {kind: host, routes: {default: home}}");
    EXPECT_EQ(routes_of(load_lab_text(text, "t.yaml").lab, "laptop"),
              std::vector<std::string>{"::/0 via fe80::1 dev eth0"});
}

TEST(NdProxy, AHostWithoutIPv6GetsNoLinkLocalDefaultRoute) {
    Lab lab = load_lab_text(R"(name: t
nodes:
  r: {kind: router}
  h: {routes: {default: r}}
links:
  - {endpoints: [r:eth0 fe80::1, h:eth0], subnet: 10.0.0.0/24}
)",
                            "t.yaml")
                  .lab;
    ASSERT_EQ(lab.find_node("h")->routes.size(), 1u);
    EXPECT_EQ(lab.find_node("h")->routes[0].destination.str(), "0.0.0.0/0");
}

TEST(NdProxy, TheKeyIsWrittenBackAndLoadsIntoTheSamePlan) {
    LoadedLab original = load_lab_text(kSameSlash64, "t.yaml");
    Diagnostics diag("t.yaml");
    LoadedLab copy = load_lab_topology(load_topology(kSameSlash64, "t.yaml", diag));
    EXPECT_NE(copy.text.find("nd-proxy: [wan, lan]"), std::string::npos) << copy.text;
    EXPECT_EQ(render_shell(load_lab_text(copy.text, "copy.yaml").plan),
              render_shell(original.plan));
}

}  // namespace
}  // namespace natlab
