// DHCP: the `dhcp:` key of routers and NATs and endpoints written 'dhcp',
// checked with messages that name the place and the fix; dnsmasq's
// configuration and udhcpc's command line and hook as natlab writes them;
// the lease as udhcpc's hook reports it, recorded and read back; the plan's
// daemons and their order; a live lab with its leases.
#include <gtest/gtest.h>

#include <algorithm>

#include "core/dhcp/dhcp_client.hpp"
#include "core/dhcp/dhcp_lease.hpp"
#include "core/dhcp/dhcp_settings.hpp"
#include "core/dhcp/dnsmasq_config.hpp"
#include "core/dhcp/lease_time.hpp"
#include "core/hostnames/hosts_file.hpp"
#include "core/lifecycle/leased_lab.hpp"
#include "core/lifecycle/live_changes.hpp"
#include "core/lifecycle/loaded_lab.hpp"
#include "core/plan/plan.hpp"
#include "core/render/render.hpp"
#include "core/topology/emit_yaml.hpp"
#include "core/topology/load.hpp"
#include "core/util/invalid_input.hpp"
#include "test_util.hpp"

namespace natlab {
namespace {

// libvirt's shape: hv serves a switched /24 (two hosts and a static one) and
// a single host on another /24.
const std::string kLab = R"(name: virt
nodes:
  hv: {kind: nat, outside: wan, routes: {default: internet},
       dhcp: {virbr0: {lease: 2m}, virbr1: {range: 10.0.100.2-10.0.100.254}}}
  sw: {kind: switch, subnet: 192.168.122.0/24}
  vma:
  vmb:
  spare:
  vmc:
  internet: {kind: router}
links:
  - {endpoints: [hv:virbr0, sw:p0]}
  - {endpoints: [sw:p1, vma:eth0 dhcp]}
  - {endpoints: [sw:p2, vmb:eth0 dhcp]}
  - {endpoints: [sw:p3, spare:eth0]}
  - {endpoints: [hv:virbr1, vmc:eth0 dhcp], subnet: 10.0.100.0/24}
  - {endpoints: [internet:to-hv, hv:wan], subnet: 203.0.113.0/24}
)";

std::string replaced(std::string text, const std::string& from, const std::string& to) {
    auto at = text.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    if (at != std::string::npos) text.replace(at, from.size(), to);
    return text;
}

std::string refusal(const std::string& text) {
    try {
        load_lab_text(text, "t.yaml");
    } catch (const InvalidInput& e) {
        return e.what();
    }
    return "accepted";
}

TEST(Dhcp, ServersResolveTheirRangeAboveTheStaticAddressesAndTheirLease) {
    LoadedLab loaded = load_lab_text(kLab, "t.yaml");
    const LabNode& hv = *loaded.lab.find_node("hv");
    ASSERT_EQ(hv.dhcp.size(), 2u);
    EXPECT_EQ(hv.dhcp[0].interface, "virbr0");
    EXPECT_EQ(hv.dhcp[0].address.str(), "192.168.122.1/24");
    // hv .1 and spare .2 are static; the DHCP hosts take none.
    EXPECT_EQ(hv.dhcp[0].range.str(), "192.168.122.3-192.168.122.254");
    EXPECT_EQ(hv.dhcp[0].lease_s, 120);
    EXPECT_EQ(hv.dhcp[1].range.str(), "10.0.100.2-10.0.100.254");
    EXPECT_EQ(hv.dhcp[1].lease_s, kDefaultLeaseSeconds);
    const LabNode& vma = *loaded.lab.find_node("vma");
    EXPECT_EQ(vma.interfaces[0].dhcp_server, "hv");
    EXPECT_TRUE(vma.interfaces[0].addresses.empty());
    EXPECT_TRUE(vma.routes.empty());
    EXPECT_EQ(loaded.lab.find_node("spare")->interfaces[0].addresses[0].str(), "192.168.122.2/24");
}

TEST(Dhcp, RefusalsNameThePlaceTheValueAndTheFix) {
    EXPECT_EQ(refusal(replaced(kLab, "{lease: 2m}", "{range: 192.168.122.2-192.168.122.9}")),
              "t.yaml:4:31: DHCP range 192.168.122.2-192.168.122.9 of hv:virbr0 holds "
              "192.168.122.2, the static address of spare:eth0; start the range above the static "
              "addresses (natlab hands them out from the bottom of the subnet) or write that "
              "address outside it\nnatlab: 1 problem in t.yaml; nothing was done");
    EXPECT_NE(refusal(replaced(kLab, "{lease: 2m}", "{range: 192.168.122.10-192.168.123.9}"))
                  .find("t.yaml:4:31: DHCP range 192.168.122.10-192.168.123.9 of hv:virbr0 is "
                        "not inside the hosts of 192.168.122.0/24, the interface's subnet; use "
                        "a range within 192.168.122.1-192.168.122.254"),
              std::string::npos);
    EXPECT_NE(refusal(replaced(kLab, "{lease: 2m}", "{range: 10-20}"))
                  .find("DHCP range '10-20' of hv:virbr0 is not FIRST-LAST"),
              std::string::npos);
    EXPECT_NE(refusal(replaced(kLab, "lease: 2m", "lease: 30s"))
                  .find("DHCP lease 30s is shorter than 2m, which dnsmasq raises "
                        "to 2m; use 2m to 7d"),
              std::string::npos);
    EXPECT_NE(
        refusal(replaced(kLab, "lease: 2m", "lease: soon")).find("DHCP lease 'soon' is not a time"),
        std::string::npos);
    EXPECT_NE(
        refusal(replaced(kLab, "{lease: 2m}", "{lease: 2m, pool: x}")).find("unknown key 'pool'"),
        std::string::npos);
    // No server on the client's segment: the router that could be one named.
    EXPECT_NE(refusal(replaced(kLab, "[hv:virbr1, vmc:eth0 dhcp]", "[internet:x, vmc:eth0 dhcp]"))
                  .find("vmc:eth0 takes its address by DHCP, and no router or NAT "
                        "on its segment serves DHCP; add 'dhcp: [x]' to node 'internet'"),
              std::string::npos);
    EXPECT_NE(refusal(replaced(kLab, "vmc:eth0 dhcp]", "vmc:eth0 10.0.100.9 dhcp]"))
                  .find("address 10.0.100.9 of vmc:eth0 is IPv4, and the endpoint takes its "
                        "IPv4 address by DHCP; remove one of the two"),
              std::string::npos);
    EXPECT_NE(refusal(replaced(kLab, "[hv:virbr0, sw:p0]", "[hv:virbr0, sw:p0 dhcp]"))
                  .find("switch port sw:p0 cannot take an address by DHCP"),
              std::string::npos);
    EXPECT_NE(refusal(replaced(kLab, "hv:wan]", "hv:wan dhcp]"))
                  .find("hv:wan takes its address by DHCP, and 'hv' is a nat; only hosts do"),
              std::string::npos);
    EXPECT_NE(refusal(replaced(kLab, "virbr1: {range", "lan9: {range"))
                  .find("'dhcp' of 'hv' names interface 'lan9', which is on no link of 'hv'"),
              std::string::npos);
    EXPECT_NE(refusal(replaced(kLab, "  vmc:\n", "  vmc: {routes: {default: hv}}\n"))
                  .find("'vmc' takes its IPv4 address and default route by DHCP from 'hv'; "
                        "remove this route"),
              std::string::npos);
    EXPECT_NE(refusal(replaced(kLab, "  internet: {kind: router}",
                               "  internet: {kind: host, dhcp: [to-hv]}"))
                  .find("key 'dhcp' applies only to router and nat nodes and 'internet' is a host"),
              std::string::npos);
    // A range too small for its clients.
    EXPECT_NE(refusal(replaced(kLab, "{range: 10.0.100.2-10.0.100.254}",
                               "{range: 10.0.100.2-10.0.100.2}"))
                  .find("accepted"),
              std::string::npos);
    EXPECT_NE(refusal(replaced(kLab, "{lease: 2m}", "{range: 192.168.122.9-192.168.122.9}"))
                  .find("DHCP range 192.168.122.9-192.168.122.9 of hv:virbr0 holds 1 addresses "
                        "for 2 clients; use a larger range"),
              std::string::npos);
}

TEST(Dhcp, DnsmasqServesEachInterfaceItsRangeAndRouterAndNothingElse) {
    LoadedLab loaded = load_lab_text(kLab, "t.yaml");
    DhcpService service = dhcp_service(loaded.lab, *loaded.lab.find_node("hv"));
    EXPECT_EQ(render_dnsmasq_config(service),
              "# DHCP server of node hv in lab virt, written by natlab.\n"
              "# DHCP only: the lab's names come from its hosts file, not from here.\n"
              "port=0\nno-resolv\nno-hosts\nuser=root\npid-file\nlog-facility=-\nlog-dhcp\n"
              "dhcp-authoritative\nno-ping\n"
              "dhcp-leasefile=/run/natlab/virt/dhcp/hv.dnsmasq.leases\n"
              "\ninterface=virbr0\n"
              "dhcp-range=set:virbr0,192.168.122.3,192.168.122.254,255.255.255.0,120\n"
              "dhcp-option=tag:virbr0,option:router,192.168.122.1\n"
              "dhcp-option=tag:virbr0,option:domain-name,virt\n"
              "\ninterface=virbr1\n"
              "dhcp-range=set:virbr1,10.0.100.2,10.0.100.254,255.255.255.0,3600\n"
              "dhcp-option=tag:virbr1,option:router,10.0.100.1\n"
              "dhcp-option=tag:virbr1,option:domain-name,virt\n");
    service.resolvers = {*IpAddress::parse("10.0.100.1")};
    EXPECT_NE(render_dnsmasq_config(service).find(
                  "dhcp-option=tag:virbr1,option:dns-server,10.0.100.1\n"),
              std::string::npos);
    DaemonSpec d = dhcp_server_daemon(service);
    EXPECT_EQ(d.argv,
              (std::vector<std::string>{"dnsmasq", "--keep-in-foreground",
                                        "--conf-file=/run/natlab/virt/dhcp/hv.dnsmasq.conf"}));
    EXPECT_EQ(d.ready.kind, DaemonReady::Kind::udp_port);
    EXPECT_EQ(d.ready.port, 67);
}

TEST(Dhcp, TheClientIsUdhcpcWhoseHookCallsNatlabBack) {
    DaemonSpec d = dhcp_client_daemon(dhcp_client("virt", "vma", "eth0"));
    EXPECT_EQ(d.argv.front(), "udhcpc");
    EXPECT_EQ(d.package, "udhcpc");
    EXPECT_EQ(d.ready.kind, DaemonReady::Kind::file);
    EXPECT_EQ(d.ready.path, "/run/natlab/virt/dhcp/vma.eth0.lease");
    ASSERT_EQ(d.files.size(), 1u);
    EXPECT_EQ(d.files[0].first, "/run/natlab/virt/dhcp/vma.eth0.script");
    EXPECT_EQ(d.executables, std::vector<std::string>{d.files[0].first});
    EXPECT_NE(d.files[0].second.find("exec '@natlab@' __dhcp-event 'virt' 'vma' 'eth0' \"$1\"\n"),
              std::string::npos);
}

TEST(Dhcp, ThePlanStartsServersThenClientsAfterTheirServerAndSwitch) {
    LoadedLab loaded = load_lab_text(kLab, "t.yaml");
    std::vector<const StartDaemon*> daemons;
    for (const auto& step : loaded.plan.steps)
        if (auto* d = std::get_if<StartDaemon>(&step)) daemons.push_back(d);
    ASSERT_EQ(daemons.size(), 4u);
    EXPECT_EQ(daemons[0]->node, "hv");
    EXPECT_EQ(daemons[1]->node, "vma");
    EXPECT_EQ(daemons[1]->after, (std::vector<std::string>{"virt-hv", "virt-sw"}));
    EXPECT_EQ(daemons[3]->node, "vmc");
    EXPECT_EQ(daemons[3]->after, std::vector<std::string>{"virt-hv"});
    std::string shell = render_shell(loaded.plan);
    EXPECT_NE(shell.find("exec 'natlab' __dhcp-event"), std::string::npos);
    EXPECT_NE(shell.find("chmod +x /run/natlab/virt/dhcp/vma.eth0.script"), std::string::npos);
}

TEST(Dhcp, ALeaseFromUdhcpcIsRecordedAndReadBack) {
    std::map<std::string, std::string> env = {{"ip", "192.168.122.57"},
                                              {"subnet", "255.255.255.0"},
                                              {"router", "192.168.122.1 192.168.122.254"},
                                              {"dns", "10.0.0.53"},
                                              {"lease", "120"},
                                              {"serverid", "192.168.122.1"},
                                              {"domain", "virt"}};
    auto get = [&](const char* name) -> std::optional<std::string> {
        auto it = env.find(name);
        return it == env.end() ? std::nullopt : std::optional<std::string>(it->second);
    };
    std::string problem;
    auto lease = lease_from_udhcpc("vma", "eth0", get, 1000, problem);
    ASSERT_TRUE(lease) << problem;
    EXPECT_EQ(lease->address.str(), "192.168.122.57/24");
    EXPECT_EQ(lease->router->str(), "192.168.122.1");
    EXPECT_EQ(lease->resolvers.size(), 1u);
    EXPECT_EQ(lease->expires(), 1120);
    EXPECT_EQ(parse_lease(lease_json(*lease).dump()), lease);
    env["mask"] = "16";
    EXPECT_EQ(lease_from_udhcpc("vma", "eth0", get, 1000, problem)->address.prefix, 16);
    env.erase("ip");
    EXPECT_FALSE(lease_from_udhcpc("vma", "eth0", get, 1000, problem));
    EXPECT_EQ(problem, "udhcpc gave no IPv4 address (ip=)");
    EXPECT_FALSE(parse_lease("{\"node\": 1}"));
    EXPECT_FALSE(parse_lease("not json"));
}

TEST(Dhcp, ALeasedLabResolvesTheHostToItsLeaseAndRoutesByIt) {
    LoadedLab loaded = load_lab_text(kLab, "t.yaml");
    DhcpLease lease;
    lease.node = "vma";
    lease.interface = "eth0";
    lease.address = *Cidr::parse("192.168.122.57/24");
    lease.router = IpAddress::parse("192.168.122.1");
    lease.lease_s = 120;
    DhcpLease stray = lease;
    stray.node = "spare";  // takes no address by DHCP: ignored
    apply_leases(loaded.lab, {lease, stray});
    const LabNode& vma = *loaded.lab.find_node("vma");
    EXPECT_EQ(vma.interfaces[0].addresses, std::vector<Cidr>{lease.address});
    ASSERT_EQ(vma.routes.size(), 1u);
    EXPECT_EQ(vma.routes[0].gateway, lease.router);
    EXPECT_NE(hosts_file(loaded.lab).find("192.168.122.57\tvma.virt vma\n"), std::string::npos);
    EXPECT_EQ(loaded.lab.find_node("spare")->interfaces[0].addresses.size(), 1u);
    EXPECT_EQ(dhcp_clients(loaded.lab).size(), 3u);
}

TEST(Dhcp, LeaseTimesAndLiveSettings) {
    EXPECT_EQ(parse_lease_seconds("2m"), 120);
    EXPECT_EQ(parse_lease_seconds("1h"), 3600);
    EXPECT_EQ(parse_lease_seconds("90"), 90);
    EXPECT_EQ(parse_lease_seconds("1d"), 86400);
    EXPECT_FALSE(parse_lease_seconds("1.5h"));
    EXPECT_FALSE(parse_lease_seconds("h"));
    EXPECT_FALSE(parse_lease_seconds("99999999999"));
    EXPECT_EQ(format_lease(3600), "1h");
    EXPECT_EQ(format_lease(150), "150s");
    DhcpSettings settings = {{"virbr0.range", "192.168.122.100-192.168.122.199"},
                             {"virbr0.lease", "none"}};
    EXPECT_EQ(dhcp_settings_of_words(dhcp_settings_words(settings)), settings);
    DhcpServeSpec spec;
    spec.interface.value = "virbr0";
    spec.lease = Marked<std::string>{"2m", {}};
    std::vector<DhcpServeSpec> specs = {spec};
    std::vector<std::string> problems;
    apply_dhcp_settings(specs, "hv", settings, problems);
    EXPECT_TRUE(problems.empty());
    EXPECT_EQ(specs[0].range->value, "192.168.122.100-192.168.122.199");
    EXPECT_FALSE(specs[0].lease);
    apply_dhcp_settings(specs, "hv", {{"lan.range", "x"}, {"virbr0.pool", "x"}}, problems);
    ASSERT_EQ(problems.size(), 2u);
    EXPECT_EQ(problems[0], "node 'hv' serves no DHCP on 'lan'; it serves virbr0");
}

TEST(Dhcp, ALiveChangeIsJournalledAndNamedAsItsCommand) {
    LiveChange change{"hv",         "",
                      std::nullopt, std::nullopt,
                      std::nullopt, "virbr0.range=192.168.122.100-192.168.122.199 virbr0.lease=5m"};
    EXPECT_EQ(change_command("virt", {change, false, {}}),
              "natlab set virt hv dhcp.virbr0.range=192.168.122.100-192.168.122.199 "
              "dhcp.virbr0.lease=5m");
    std::vector<LiveChange> changes = {change};
    LoadedLab changed = load_changed_lab(kLab, "t.yaml", "virt", changes);
    const DhcpServer& s = changed.lab.find_node("hv")->dhcp[0];
    EXPECT_EQ(s.range.str(), "192.168.122.100-192.168.122.199");
    EXPECT_EQ(s.lease_s, 300);
    EXPECT_EQ(dhcp_settings_problems(kLab, "t.yaml", "virt", {}, "hv",
                                     {{"virbr0.range", "192.168.122.1-192.168.122.9"}})
                  .size(),
              1u);
}

TEST(Dhcp, WrittenBackAsYamlItPlansTheSame) {
    LoadedLab loaded = load_lab_text(kLab, "t.yaml");
    Diagnostics diag("t.yaml");
    Topology topo = load_topology(kLab, "t.yaml", diag);
    LoadedLab again = load_lab_text(emit_yaml(topo), "t.yaml");
    EXPECT_EQ(again.plan.steps, loaded.plan.steps);
}

}  // namespace
}  // namespace natlab
