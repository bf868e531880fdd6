// Routes that prefix delegation would give: the IPv6 subnets behind a router or
// NAT node are routed to it from upstream, along the chain of default routes.
#include <gtest/gtest.h>

#include "core/lifecycle/loaded_lab.hpp"

namespace natlab {
namespace {

std::vector<std::string> ipv6_routes(const Lab& lab, const std::string& node) {
    std::vector<std::string> out;
    for (const auto& r : lab.find_node(node)->routes)
        if (r.destination.address.family == Family::ipv6)
            out.push_back(r.destination.str() + (r.gateway ? " via " + r.gateway->str() : "") +
                          (r.device.empty() ? "" : " dev " + r.device));
    return out;
}

Lab lab_of(const std::string& text) {
    return load_lab_text(text, "t.yaml").lab;
}

// laptop -- home (nat) -- cgn (nat) -- internet -- server, dual stack everywhere.
constexpr const char* kDoubleNat = R"(name: t
nodes:
  laptop: {routes: {default: home}}
  home: {kind: nat, outside: wan, routes: {default: cgn}}
  cgn: {kind: nat, outside: wan, routes: {default: internet}}
  internet: {kind: router}
  server: {routes: {default: internet}}
links:
  - {endpoints: [home:lan, laptop:eth0], subnet: [192.168.0.0/24, "2001:db8:1:1::/64"]}
  - {endpoints: [cgn:subscribers, home:wan], subnet: [100.64.0.0/24, "2001:db8:1:ff::/64"]}
  - {endpoints: [internet:to-cgn, cgn:wan], subnet: [198.51.100.0/24, "2001:db8:ffff::/64"]}
  - {endpoints: [internet:to-server, server:eth0], subnet: [203.0.113.0/24, "2001:db8:2::/64"]}
)";

TEST(Delegation, EachNodeUpTheChainRoutesTheSubnetsBehindItsChild) {
    Lab lab = lab_of(kDoubleNat);
    EXPECT_EQ(ipv6_routes(lab, "cgn"), (std::vector<std::string>{
                                           "::/0 via 2001:db8:ffff::1",
                                           "2001:db8:1:1::/64 via 2001:db8:1:ff::2",
                                       }));
    EXPECT_EQ(ipv6_routes(lab, "internet"), (std::vector<std::string>{
                                                "2001:db8:1:1::/64 via 2001:db8:ffff::2",
                                                "2001:db8:1:ff::/64 via 2001:db8:ffff::2",
                                            }));
    // Hosts forward nothing: nothing is delegated to or through them.
    EXPECT_EQ(ipv6_routes(lab, "server"), (std::vector<std::string>{"::/0 via 2001:db8:2::1"}));
}

TEST(Delegation, IPv4IsLeftAsWritten) {
    Lab lab = lab_of(kDoubleNat);
    for (const auto& r : lab.find_node("internet")->routes)
        EXPECT_EQ(r.destination.address.family, Family::ipv6) << r.destination.str();
}

TEST(Delegation, AWrittenRouteIsKeptAndNotDoubled) {
    std::string text = kDoubleNat;
    text.replace(text.find("internet: {kind: router}"), 24,
                 "internet: {kind: router, routes: {\"2001:db8:1::/48\": cgn}}");
    Lab lab = lab_of(text);
    // The written /48 stays; the /64s inside it are still routed, more specific.
    EXPECT_EQ(ipv6_routes(lab, "internet"), (std::vector<std::string>{
                                                "2001:db8:1::/48 via 2001:db8:ffff::2",
                                                "2001:db8:1:1::/64 via 2001:db8:ffff::2",
                                                "2001:db8:1:ff::/64 via 2001:db8:ffff::2",
                                            }));
}

TEST(Delegation, TwoRoutersPointingAtEachOtherEndTheChain) {
    Lab lab = lab_of(R"(name: t
nodes:
  a: {kind: router, routes: {default: b}}
  b: {kind: router, routes: {default: a}}
  h: {routes: {default: a}}
links:
  - {endpoints: [a:x, b:x], subnet: "2001:db8:9::/64"}
  - {endpoints: [a:h, h:eth0], subnet: "2001:db8:8::/64"}
)");
    EXPECT_EQ(ipv6_routes(lab, "b"), (std::vector<std::string>{
                                         "::/0 via 2001:db8:9::1",
                                         "2001:db8:8::/64 via 2001:db8:9::1",
                                     }));
    EXPECT_EQ(ipv6_routes(lab, "a"), (std::vector<std::string>{"::/0 via 2001:db8:9::2"}));
}

}  // namespace
}  // namespace natlab
