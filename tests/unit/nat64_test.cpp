// NAT64 and router advertisements as natlab plans them: the 'nat64:' key's
// prefix policy and its refusals, tayga's and radvd's configuration, the
// pool as an inside network of the IPv4 NAT, the plan's order (tayga makes
// its TUN device, then the device comes up and takes its routes), and SLAAC
// endpoints.
#include <gtest/gtest.h>

#include <algorithm>

#include "core/lifecycle/loaded_lab.hpp"
#include "core/nat/render_nft.hpp"
#include "core/nat/validate_nat64.hpp"
#include "core/nat64/tayga.hpp"
#include "core/plan/plan.hpp"
#include "core/ra/radvd.hpp"
#include "core/render/render_graph.hpp"
#include "core/util/invalid_input.hpp"
#include "test_util.hpp"

namespace natlab {
namespace {

std::string bundled() {
    return test::read_text(test::source_path("labs/ipv6-only.yaml"));
}

std::string replaced(std::string text, const std::string& from, const std::string& to) {
    auto at = text.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    if (at != std::string::npos) text.replace(at, from.size(), to);
    return text;
}

std::string refusal(const std::string& text) {
    return test::refusal([&] { load_lab_text(text, "t.yaml"); });
}

const LabNode& node(const Lab& lab, const std::string& name) {
    return *lab.find_node(name);
}

constexpr const char* kNsp = "    nat64: {prefix: \"2001:db8:64::/96\"}\n";

TEST(Nat64, TheBundledCarrierTranslatesUnderItsOwnPrefixIntoTheDefaultPool) {
    Lab lab = load_lab_text(bundled(), "t.yaml").lab;
    const NatNode& nat = *node(lab, "carrier").nat;
    ASSERT_TRUE(nat.nat64);
    EXPECT_EQ(nat.nat64->prefix.str(), "2001:db8:64::/96");
    EXPECT_EQ(nat.nat64->pool.str(), "192.168.255.0/24");
    EXPECT_EQ(nat.nat64->ipv4_address.str(), "192.168.255.1");
    EXPECT_EQ(nat.nat64->ipv6_address.str(), "fd64::c0a8:ff01");
    EXPECT_FALSE(nat.nat64->well_known());
    // The pool is an inside network: the IPv4 rules translate it like any other.
    EXPECT_NE(std::find(nat.inside_networks.begin(), nat.inside_networks.end(), nat.nat64->pool),
              nat.inside_networks.end());
    // The preset's classes (RFC 6146) apply, and IPv6 is routed to the phone.
    EXPECT_EQ(nat.behaviour.mf.mapping, Dependence::endpoint_independent);
    EXPECT_EQ(nat.behaviour.mf.filtering, Dependence::address_dependent);
    ASSERT_TRUE(nat.ipv6);
    EXPECT_EQ(nat.ipv6->mode, Ipv6Mode::routed);
}

TEST(Nat64, TaygaIsConfiguredWithItsAddressesPrefixAndPool) {
    Lab lab = load_lab_text(bundled(), "t.yaml").lab;
    DaemonSpec d = tayga_daemon("n64", "carrier", *node(lab, "carrier").nat->nat64);
    EXPECT_EQ(d.package, "tayga");
    EXPECT_EQ(d.argv,
              (std::vector<std::string>{"tayga", "--config", "/run/natlab/n64/nat64/carrier.conf",
                                        "--nodetach"}));
    EXPECT_EQ(d.files.front().second,
              "# natlab: NAT64 translator (tayga 0.9.2)\n"
              "tun-device nat64\n"
              "ipv4-addr 192.168.255.1\n"
              "ipv6-addr fd64::c0a8:ff01\n"
              "prefix 2001:db8:64::/96\n"
              "dynamic-pool 192.168.255.0/24\n"
              "data-dir /run/natlab/n64/nat64/carrier\n");
    // Its pid file comes before its device: ready once the device exists.
    EXPECT_EQ(d.ready.kind, DaemonReady::Kind::interface);
    EXPECT_EQ(d.ready.interface, "nat64");
}

TEST(Nat64, ThePlanStartsTaygaThenRaisesItsDeviceAndRoutesThroughIt) {
    Plan plan = make_plan(load_lab_text(bundled(), "t.yaml").lab);
    std::vector<std::string> carrier;
    for (const auto& step : plan.steps) {
        std::string text = describe(step);
        if (text.find("n64") == std::string::npos && text.find("carrier") != std::string::npos &&
            (text.find("nat64") != std::string::npos || text.find("tayga") != std::string::npos))
            carrier.push_back(text);
    }
    ASSERT_EQ(carrier.size(), 5u) << ::testing::PrintToString(carrier);
    EXPECT_NE(carrier[0].find("starting the NAT64 translator (tayga)"), std::string::npos);
    EXPECT_NE(carrier[1].find("nat64"), std::string::npos);
    EXPECT_NE(carrier[2].find("192.168.255.0/24"), std::string::npos);
    EXPECT_NE(carrier[3].find("2001:db8:64::/96"), std::string::npos);
    EXPECT_NE(carrier[4].find("fd64::c0a8:ff01/128"), std::string::npos);
}

TEST(Nat64, TheIpv4RulesMasqueradeThePoolOnTheOutside) {
    Lab lab = load_lab_text(bundled(), "t.yaml").lab;
    std::string rules = render_nat_rules(*node(lab, "carrier").nat);
    EXPECT_NE(rules.find("192.168.255.0/24"), std::string::npos) << rules;
}

TEST(Nat64, TheWellKnownPrefixIsRefusedWhenTheInternetIsNotGlobal) {
    std::string text = replaced(bundled(), kNsp, "");
    EXPECT_EQ(refusal(text),
              "t.yaml:31:13: nat64 of nat node 'carrier' uses the well-known prefix 64:ff9b::/96, "
              "which reaches global IPv4 addresses only (RFC 6052 section 3.1; tayga refuses the "
              "others), and node 'internet' holds 203.0.113.1, documentation (203.0.113.0/24, RFC "
              "5737); declare a network-specific prefix: nat64: {prefix: 2001:db8:64::/96}\n"
              "natlab: 1 problem in t.yaml; nothing was done");
    // With a global internet it is accepted.
    text = replaced(text, "subnet: 203.0.113.0/24}", "subnet: 198.41.0.0/24}");
    Lab lab = load_lab_text(text, "t.yaml").lab;
    EXPECT_TRUE(node(lab, "carrier").nat->nat64->well_known());
}

TEST(Nat64, BadValuesAreRefusedWithTheFix) {
    auto with = [](const std::string& value) {
        return refusal(replaced(bundled(), kNsp, "    nat64: " + value + "\n"));
    };
    EXPECT_NE(with("{prefix: \"2001:db8:64::/64\"}").find("must be a /96"), std::string::npos);
    EXPECT_NE(with("{prefix: 10.0.0.0/8}").find("is not an IPv6 prefix"), std::string::npos);
    EXPECT_NE(with("{prefix: \"64:ff9b:1::/96\"}").find("local-use 64:ff9b:1::/48"),
              std::string::npos);
    EXPECT_NE(with("{prefix: \"2001:db8:64::/96\", pool: 100.64.1.0/24}")
                  .find("nat64 pool 100.64.1.0/24 of nat node 'carrier' meets 100.64.1.0/24 of "
                        "node 'carrier'"),
              std::string::npos);
    EXPECT_NE(with("{prefix: \"2001:db8:64::/96\", port: 1}").find("unknown key 'port'"),
              std::string::npos)
        << with("{prefix: \"2001:db8:64::/96\", port: 1}");
    EXPECT_NE(with("maybe").find("'nat64' must be true or false"), std::string::npos);
    EXPECT_EQ(with("false").find("nat64"), std::string::npos);
}

TEST(Nat64, ANatWithoutIpv6InsideHasNoOneToTranslateFor) {
    std::string text = test::lab_with_nat("nat64: true");
    EXPECT_NE(refusal(text).find("has no IPv6 network behind it"), std::string::npos)
        << refusal(text);
}

TEST(Nat64, OnlyNatNodesTakeTheKey) {
    std::string text =
        replaced(bundled(), "internet: {kind: router}", "internet: {kind: router, nat64: true}");
    EXPECT_NE(refusal(text).find("key 'nat64' applies only to nat nodes"), std::string::npos)
        << refusal(text);
}

TEST(Nat64, NonGlobalIsTaygasList) {
    EXPECT_EQ(non_global_ipv4(*IpAddress::parse("203.0.113.9")),
              "documentation (203.0.113.0/24, RFC 5737)");
    EXPECT_EQ(non_global_ipv4(*IpAddress::parse("10.1.2.3")), "private (10.0.0.0/8, RFC 1918)");
    EXPECT_EQ(non_global_ipv4(*IpAddress::parse("198.41.0.4")), "");
}

std::string slaac_lab() {
    // The phone keeps 'default: carrier': its IPv6 default comes from the advertisements.
    std::string text = bundled();
    return replaced(replaced(text, "    routes: {default: internet}\n",
                             "    routes: {default: internet}\n    ra: [ran]\n"),
                    "[carrier:ran, phone:eth0]", "[carrier:ran, phone:eth0 slaac]");
}

TEST(RouterAdvertisements, ASlaacHostGetsNoStaticAddressAndWaitsForTheAdvertisedOne) {
    Lab lab = load_lab_text(slaac_lab(), "t.yaml").lab;
    const LabInterface& eth0 = *node(lab, "phone").find_interface("eth0");
    EXPECT_TRUE(eth0.addresses.empty());
    ASSERT_TRUE(eth0.slaac);
    EXPECT_EQ(eth0.slaac->str(), "2001:db8:1:1::/64");
    // Its default route comes from the advertisements.
    EXPECT_TRUE(node(lab, "phone").routes.empty());
    const auto& ra = node(lab, "carrier").ra;
    ASSERT_EQ(ra.size(), 1u);
    EXPECT_EQ(ra[0].interface, "ran");
    EXPECT_EQ(ra[0].nat64_prefix->str(), "2001:db8:64::/96");
    Plan plan = make_plan(lab);
    auto radvd = std::find_if(plan.steps.begin(), plan.steps.end(), [](const Step& s) {
        return describe(s).find("(radvd)") != std::string::npos;
    });
    auto wait = std::find_if(plan.steps.begin(), plan.steps.end(),
                             [](const Step& s) { return std::holds_alternative<AwaitAddress>(s); });
    ASSERT_NE(radvd, plan.steps.end());
    ASSERT_NE(wait, plan.steps.end());
    EXPECT_LT(radvd, wait);
    EXPECT_EQ(std::get<AwaitAddress>(*wait).after, (std::vector<std::string>{"ipv6-only-carrier"}));
}

TEST(RouterAdvertisements, TheGraphShowsWhoAdvertisesAndWhoTakesAnAddress) {
    std::string mermaid = render_mermaid(load_lab_text(slaac_lab(), "t.yaml").lab);
    EXPECT_NE(mermaid.find("ran (inside) 2001:db8:1:1::1/64 advertises its prefixes"),
              std::string::npos)
        << mermaid;
    EXPECT_NE(mermaid.find("eth0 SLAAC 2001:db8:1:1::/64"), std::string::npos) << mermaid;
}

TEST(RouterAdvertisements, RadvdAdvertisesEachPrefixForSlaac) {
    std::vector<RouterAdvertisement> ra = {
        {"ran", {*Cidr::parse("2001:db8:1:1::/64")}, Cidr::parse("2001:db8:64::/96")}};
    EXPECT_EQ(render_radvd_config(ra),
              "# natlab: router advertisements (radvd 2.19)\n"
              "interface ran {\n"
              "    AdvSendAdvert on;\n"
              "    MinRtrAdvInterval 3;\n"
              "    MaxRtrAdvInterval 10;\n"
              "    prefix 2001:db8:1:1::/64 {\n"
              "        AdvOnLink on;\n"
              "        AdvAutonomous on;\n"
              "    };\n"
              "    # NAT64 prefix 2001:db8:64::/96: not advertised, radvd 2.19 has no PREF64 "
              "option\n"
              "};\n");
    DaemonSpec d = radvd_daemon("n64", "carrier", ra);
    EXPECT_EQ(d.argv.front(), "radvd");
    EXPECT_EQ(d.ready.path, "/run/natlab/n64/ra/carrier.pid");
}

TEST(RouterAdvertisements, MistakesAreRefusedWithTheFix) {
    std::string no_ra =
        replaced(bundled(), "[carrier:ran, phone:eth0]", "[carrier:ran, phone:eth0 slaac]");
    EXPECT_NE(refusal(no_ra).find("no node sends router advertisements on its link; add 'ra: "
                                  "[INTERFACE]'"),
              std::string::npos)
        << refusal(no_ra);
    std::string wrong = replaced(slaac_lab(), "ra: [ran]", "ra: [lan]");
    EXPECT_NE(refusal(wrong).find("names 'lan', which is not one of its interfaces"),
              std::string::npos)
        << refusal(wrong);
    std::string host = replaced(bundled(), "phone: {kind: host, routes: {default: carrier}}",
                                "phone: {kind: host, ra: [eth0]}");
    EXPECT_NE(refusal(host).find("key 'ra' applies only to router and nat nodes"),
              std::string::npos)
        << refusal(host);
    std::string both =
        replaced(slaac_lab(), "phone:eth0 slaac", "phone:eth0 slaac 2001:db8:1:1::9");
    EXPECT_NE(refusal(both).find("beside a written IPv6 address"), std::string::npos)
        << refusal(both);
}

}  // namespace
}  // namespace natlab
