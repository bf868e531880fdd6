// Port mapping: the key that asks for it, the service natlab plans for the
// NAT, miniupnpd's configuration and table, and the leases it reports.
#include <gtest/gtest.h>

#include "core/lifecycle/live_changes.hpp"
#include "core/nat/nat_settings.hpp"
#include "core/plan/plan.hpp"
#include "core/portmap/port_mapping_lease.hpp"
#include "core/render/render.hpp"
#include "core/render/render_graph.hpp"
#include "test_util.hpp"

namespace natlab {
namespace {

using test::lab_with_nat;

Lab lab_of(const std::string& nat_keys) {
    return load_changed_lab(lab_with_nat(nat_keys), "t.yaml", "t", {}).lab;
}

std::vector<MappingProtocol> protocols_of(const std::string& nat_keys) {
    return lab_of(nat_keys).find_node("nat0")->nat->behaviour.port_mapping;
}

const StartPortMapping* port_mapping_step(const Plan& plan) {
    for (const auto& step : plan.steps)
        if (auto* s = std::get_if<StartPortMapping>(&step)) return s;
    return nullptr;
}

TEST(PortMapping, ProtocolsAreUpnpAndPcpWhichServesNatPmpToo) {
    using enum MappingProtocol;
    EXPECT_EQ(protocols_of("type: full-cone"), (std::vector<MappingProtocol>{}));
    EXPECT_EQ(protocols_of("port-mapping: all"), (std::vector<MappingProtocol>{upnp, pcp}));
    EXPECT_EQ(protocols_of("port-mapping: [nat-pmp, upnp]"),
              (std::vector<MappingProtocol>{upnp, pcp}));
    EXPECT_EQ(protocols_of("port-mapping: upnp"), (std::vector<MappingProtocol>{upnp}));
    EXPECT_EQ(protocols_of("preset: home-router, port-mapping: pcp"),
              (std::vector<MappingProtocol>{pcp}));
}

TEST(PortMapping, TheServiceStartsAfterTheNetworkAndBeforeContainers) {
    Plan plan = make_plan(lab_of("port-mapping: all"));
    const StartPortMapping* step = port_mapping_step(plan);
    ASSERT_NE(step, nullptr);
    EXPECT_TRUE(std::holds_alternative<StartPortMapping>(plan.steps.back()));
    EXPECT_EQ(step->netns, "t-nat0");
    EXPECT_EQ(describe(plan.steps.back()),
              "starting the port-mapping service (UPnP IGD, NAT-PMP and PCP) of nat0 in namespace "
              "t-nat0");
    const PortMappingService& s = step->service;
    EXPECT_EQ(s.inside, std::vector<std::string>{"lan"});
    EXPECT_EQ(s.outside, "wan");
    EXPECT_EQ(s.external_address.str(), "100.64.1.2");
    EXPECT_EQ(s.config, "/run/natlab/t/port-mapping/nat0.conf");
    EXPECT_EQ(port_mapping_step(make_plan(lab_of("type: full-cone"))), nullptr);
}

TEST(PortMapping, MiniupnpdIsToldTheNatsInterfacesTableAndItsOwnStunServer) {
    Plan plan = make_plan(lab_of("port-mapping: upnp"));
    const PortMappingService& s = port_mapping_step(plan)->service;
    std::string conf = render_miniupnpd_config(s);
    for (const char* line :
         {"ext_ifname=wan\n", "listening_ip=lan\n", "enable_upnp=yes\n", "enable_natpmp=no\n",
          "ext_perform_stun=yes\n", "ext_stun_host=100.64.1.2\n", "ext_stun_port=3478\n",
          "upnp_table_name=natlab_portmap\n", "upnp_nat_chain=prerouting\n",
          "lease_file=/run/natlab/t/port-mapping/nat0.leases\n", "secure_mode=yes\n",
          "allow 1-65535 10.0.1.0/24 1-65535\ndeny 0-65535 0.0.0.0/0 0-65535\n"})
        EXPECT_NE(conf.find(line), std::string::npos) << line << " in\n" << conf;
    EXPECT_EQ(stun_server_argv(s), (std::vector<std::string>{"stund", "-h", "100.64.1.2", "-a",
                                                             "127.0.0.1", "-p", "3478"}));
    EXPECT_EQ(miniupnpd_ready_line(s), "HTTP listening on port");
    // Its DNAT comes before natlab's firewall (dstnat), which would drop the packet.
    EXPECT_NE(render_port_mapping_table(s).find(
                  "type nat hook prerouting priority dstnat - 10; policy accept;"),
              std::string::npos);
    // stund answers miniupnpd only, even on a NAT without a firewall.
    EXPECT_NE(render_port_mapping_table(s).find("iifname \"wan\" udp dport { 3478, 3479 } drop"),
              std::string::npos);
}

TEST(PortMapping, TheShellScriptStartsTheSameService) {
    std::string script = render_shell(make_plan(lab_of("port-mapping: all")));
    EXPECT_NE(script.find("ip netns exec t-nat0 stund -h 100.64.1.2 -a 127.0.0.1 -p 3478 "
                          "</dev/null >/dev/null 2>&1 &\n"),
              std::string::npos)
        << script;
    EXPECT_NE(script.find("ip netns exec t-nat0 miniupnpd -d -f "
                          "/run/natlab/t/port-mapping/nat0.conf -P "
                          "/run/natlab/t/port-mapping/nat0.pid </dev/null "
                          ">/run/natlab/t/port-mapping/nat0.log 2>&1 &\n"),
              std::string::npos);
}

TEST(PortMapping, TheGraphSaysWhatTheNatOffers) {
    EXPECT_NE(render_dot(lab_of("port-mapping: all")).find("port mapping: UPnP, NAT-PMP, PCP"),
              std::string::npos);
    EXPECT_EQ(render_dot(lab_of("type: full-cone")).find("port mapping"), std::string::npos);
}

TEST(PortMapping, ALiveNatKeepsWhatItOffers) {
    NatSpec spec;
    std::vector<std::string> problems;
    apply_nat_settings(spec, {{"port-mapping", "all"}}, problems);
    EXPECT_EQ(problems, std::vector<std::string>{"'port-mapping' cannot change on a live NAT; edit "
                                                 "the topology file and create the lab again"});
}

TEST(PortMapping, LeasesAreReadAsMiniupnpdWritesThem) {
    auto leases = parse_port_mapping_leases(
        "UDP:7000:10.0.1.2:7001:1800000060:NAT-PMP 7000 udp\n"
        "TCP:8080:10.0.1.3:80:0:web: the site\n"
        "garbage\n"
        "UDP:99999:10.0.1.2:1:0:out of range\n");
    ASSERT_EQ(leases.size(), 2u);
    EXPECT_EQ(leases[0],
              (PortMappingLease{Protocol::udp, 7000, Endpoint{*IpAddress::parse("10.0.1.2"), 7001},
                                1800000060, "NAT-PMP 7000 udp"}));
    EXPECT_EQ(leases[1].description, "web: the site");
    IpAddress external = *IpAddress::parse("100.64.1.2");
    EXPECT_EQ(describe_lease(leases[0], external, "c0", 1800000000),
              "udp 100.64.1.2:7000 -> c0 10.0.1.2:7001 for 60 s, 'NAT-PMP 7000 udp'");
    EXPECT_EQ(describe_lease(leases[1], external, "", 1800000000),
              "tcp 100.64.1.2:8080 -> 10.0.1.3:80, until deleted, 'web: the site'");
}

}  // namespace
}  // namespace natlab
