#include "core/plan/plan.hpp"

#include <algorithm>
#include <string>
#include <vector>

#include "core/dhcp/dhcp_client.hpp"
#include "core/dhcp/dnsmasq_config.hpp"
#include "core/hostnames/dns_daemon.hpp"
#include "core/names/paths.hpp"
#include "core/nat/render_ipv6.hpp"
#include "core/nat/render_nft.hpp"
#include "core/nat64/tayga.hpp"
#include "core/ra/radvd.hpp"
#include "core/switch/port_security.hpp"
#include "core/topology/sysctl_interface.hpp"

namespace natlab {

std::vector<std::string> Plan::namespaces() const {
    std::vector<std::string> out;
    for (const auto& step : steps)
        if (auto* s = std::get_if<CreateNetns>(&step)) out.push_back(s->netns);
    return out;
}

namespace {

bool forwards(NodeKind kind) {
    return kind == NodeKind::router || kind == NodeKind::nat;
}

class Planner {
  public:
    explicit Planner(const Lab& lab) : lab_(lab), ipv6_(has_ipv6(lab)) { plan_.lab = lab.name; }

    Plan run() {
        // A NAT's rules come with its namespace, before any link: no packet can
        // cross it untranslated, and the rules (which name interfaces, never
        // look them up) load while other namespaces are still being made.
        // Sysctls of the whole namespace come before its interfaces: forwarding
        // is on before an interface is up (a router sends no router
        // solicitations), and the user's net.*.conf.default.* reach them all.
        for (const auto& node : lab_.nodes) {
            add(CreateNetns{ns(node), lab_.name, node.name});
            if (node.nat) add_rules(node);
            add_sysctls(node, SysctlScope::namespace_wide);
        }
        for (const auto& node : lab_.nodes)
            if (node.kind == NodeKind::switch_)
                add(CreateBridge{ns(node), node.name, kSwitchBridge, next_index_++});
        for (const auto& link : lab_.links) add_veth(link);
        for (const auto& node : lab_.nodes)
            if (node.kind == NodeKind::switch_)
                for (const auto& i : node.interfaces)
                    add(AttachToBridge{ns(node), node.name, i.name, kSwitchBridge});
        // Once its ports exist: the netdev table names them as devices.
        for (const auto& node : lab_.nodes) add_port_security(node);
        for (const auto& node : lab_.nodes) add_sysctls(node, SysctlScope::interface);
        for (const auto& node : lab_.nodes)
            for (const auto& i : node.interfaces) {
                for (const auto& a : i.addresses) add(AddAddress{ns(node), node.name, i.name, a});
                if (i.link_local) add(AddAddress{ns(node), node.name, i.name, *i.link_local});
            }
        // Before an interface is up, so that no packet leaves it unconditioned.
        for (const auto& node : lab_.nodes)
            for (const auto& i : node.interfaces)
                if (!i.condition.empty())
                    add(SetLinkCondition{ns(node), node.name, i.name, i.condition});
        for (const auto& node : lab_.nodes) {
            if (node.kind == NodeKind::switch_) add(SetLinkUp{ns(node), node.name, kSwitchBridge});
            for (const auto& i : node.interfaces) add(SetLinkUp{ns(node), node.name, i.name});
        }
        for (const auto& node : lab_.nodes)
            for (const auto& r : node.routes)
                if (r.device != kNat64Device)
                    add(AddRoute{ns(node), node.name, r.destination, r.gateway, r.device});
        for (const auto& node : lab_.nodes)
            if (node.nat && node.nat->nat64) add_nat64(node);
        for (const auto& node : lab_.nodes)
            for (const auto& p : node.nd_proxy)
                add(AddProxyNeighbour{ns(node), node.name, p.interface, p.address});
        // Once the node holds its addresses (it listens on each) and its routes.
        if (lab_.dns)
            if (const LabNode* server = lab_.find_node(lab_.dns->node))
                add(StartDaemon{ns(*server), server->name, dns_daemon(lab_), {}});
        for (const auto& node : lab_.nodes)
            if (!node.ra.empty())
                add(StartDaemon{
                    ns(node), node.name, radvd_daemon(lab_.name, node.name, node.ra), {}});
        for (const auto& node : lab_.nodes)
            for (const auto& i : node.interfaces)
                if (i.slaac) add_await_address(node, i);
        for (const auto& node : lab_.nodes)
            if (node.nat && !node.nat->behaviour.port_mapping.empty()) add_port_mapping(node);
        // Servers before clients: a client's discover finds its server up.
        for (const auto& node : lab_.nodes)
            if (!node.dhcp.empty()) add_dhcp_server(node);
        for (const auto& node : lab_.nodes)
            for (const auto& i : node.interfaces)
                if (!i.dhcp_server.empty()) add_dhcp_client(node, i);
        for (const auto& node : lab_.nodes)
            if (node.container) add_container(node);
        return plan_;
    }

  private:
    const Lab& lab_;
    const bool ipv6_;
    int next_index_ = 2;  // 1 is every namespace's loopback
    Plan plan_;

    static bool has_ipv6(const Lab& lab) {
        for (const auto& node : lab.nodes)
            for (const auto& i : node.interfaces)
                for (const auto& a : i.addresses)
                    if (a.address.family == Family::ipv6) return true;
        return false;
    }

    std::string ns(const LabNode& node) const { return netns_name(lab_.name, node.name); }
    void add(Step step) { plan_.steps.push_back(std::move(step)); }

    // The kernel takes a veth's carrier change as urgent only when the
    // device's index differs from its peer's; otherwise the change waits for
    // the next round of link events, up to a second, and until then the
    // device drops what it sends (first ARP and neighbour solicitations
    // lost). In fresh namespaces both ends would often get index 2, so each
    // interface of the lab gets an index of its own.
    void add_veth(const LabLink& link) {
        int a = next_index_++, b = next_index_++;
        add(CreateVeth{netns_name(lab_.name, link.node_a), link.node_a, link.interface_a,
                       netns_name(lab_.name, link.node_b), link.node_b, link.interface_b, link.mtu,
                       a, b, link.mac_a, link.mac_b});
    }

    enum class SysctlScope { namespace_wide, interface };
    bool in_scope(const LabNode& node, const std::string& key, SysctlScope scope) const {
        std::string ifname = sysctl_interface(key);
        bool of_interface = std::any_of(node.interfaces.begin(), node.interfaces.end(),
                                        [&](const LabInterface& i) { return i.name == ifname; });
        return of_interface == (scope == SysctlScope::interface);
    }

    void add_rules(const LabNode& node) {
        add(ApplyRuleset{ns(node), node.name, kNatTable, render_nat_rules(*node.nat),
                         render_nat_reset(*node.nat)});
        if (auto ipv6 = render_ipv6_rules(*node.nat); !ipv6.empty())
            add(ApplyRuleset{ns(node), node.name, kNatTable, ipv6, render_ipv6_reset(*node.nat),
                             "ip6"});
    }

    void add_port_security(const LabNode& node) {
        if (auto bridge = render_port_security_bridge(node.port_security); !bridge.empty())
            add(ApplyRuleset{ns(node), node.name, kNatTable, bridge, "", "bridge"});
        if (auto netdev = render_port_security_netdev(node.port_security); !netdev.empty())
            add(ApplyRuleset{ns(node), node.name, kNatTable, netdev, "", "netdev"});
    }

    // tayga makes its TUN device as it starts: the device comes up and takes
    // its routes once tayga is ready.
    void add_nat64(const LabNode& node) {
        add(StartDaemon{
            ns(node), node.name, tayga_daemon(lab_.name, node.name, *node.nat->nat64), {}});
        add(SetLinkUp{ns(node), node.name, kNat64Device});
        for (const auto& r : node.routes)
            if (r.device == kNat64Device)
                add(AddRoute{ns(node), node.name, r.destination, r.gateway, r.device});
    }

    // After the advertising node's radvd has started.
    void add_await_address(const LabNode& node, const LabInterface& i) {
        std::vector<std::string> after;
        for (const auto& other : lab_.nodes)
            for (const auto& ra : other.ra)
                if (std::find(ra.prefixes.begin(), ra.prefixes.end(), *i.slaac) !=
                    ra.prefixes.end())
                    after.push_back(ns(other));
        add(AwaitAddress{ns(node), node.name, i.name, *i.slaac, after});
    }

    void add_port_mapping(const LabNode& node) {
        add(StartPortMapping{ns(node), node.name, port_mapping_service(lab_.name, node)});
    }

    void add_dhcp_server(const LabNode& node) {
        add(StartDaemon{ns(node), node.name, dhcp_server_daemon(dhcp_service(lab_, node)), {}});
    }

    // After its server, and after the switches between them: their ports
    // are up before the first discover is sent.
    void add_dhcp_client(const LabNode& node, const LabInterface& iface) {
        std::vector<std::string> after = {netns_name(lab_.name, iface.dhcp_server)};
        std::vector<std::string> switches;
        std::vector<std::pair<std::string, std::string>> todo = {{node.name, iface.name}};
        while (!todo.empty()) {
            auto [from, ifname] = todo.back();
            todo.pop_back();
            for (const auto& link : lab_.links) {
                std::string other;
                if (link.node_a == from && (ifname.empty() || link.interface_a == ifname))
                    other = link.node_b;
                else if (link.node_b == from && (ifname.empty() || link.interface_b == ifname))
                    other = link.node_a;
                const LabNode* peer = other.empty() ? nullptr : lab_.find_node(other);
                if (!peer || peer->kind != NodeKind::switch_ ||
                    std::find(switches.begin(), switches.end(), other) != switches.end())
                    continue;
                switches.push_back(other);
                todo.push_back({other, ""});
            }
        }
        for (const auto& s : switches) after.push_back(netns_name(lab_.name, s));
        add(StartDaemon{ns(node), node.name,
                        dhcp_client_daemon(dhcp_client(lab_.name, node.name, iface.name)), after});
    }

    void add_container(const LabNode& node) {
        const LabContainer& c = *node.container;
        std::string dir = c.host_root() ? container_dir(lab_.name, node.name) + "/root" : c.root;
        add(StartContainer{lab_.name, ns(node), node.name, ns(node), dir,
                           container_log(lab_.name, node.name), c,
                           lab_.dns ? node_etc_dir(lab_.name, node.name) : lab_etc_dir(lab_.name)});
    }

    // Each interface that answers for hosts behind the node: proxy_ndp makes
    // the kernel look its proxy entries up, and it answers at once rather
    // than after up to proxy_delay (0.8 s), as a node that knows every
    // address of the lab can (RFC 4861 asks the delay of anycast and proxy
    // answers so that several proxies for one address do not collide).
    void add_nd_proxy_sysctls(const LabNode& node) {
        std::vector<std::string> done;
        for (const auto& p : node.nd_proxy) {
            if (std::find(done.begin(), done.end(), p.interface) != done.end()) continue;
            done.push_back(p.interface);
            add(SetSysctl{ns(node), node.name, "net.ipv6.conf." + p.interface + ".proxy_ndp", "1"});
            add(SetSysctl{ns(node), node.name, "net.ipv6.neigh." + p.interface + ".proxy_delay",
                          "0"});
        }
    }

    // natlab's own sysctls come before the user's, which can override them.
    void add_sysctls(const LabNode& node, SysctlScope scope) {
        if (scope == SysctlScope::namespace_wide && forwards(node.kind)) {
            add(SetSysctl{ns(node), node.name, "net.ipv4.ip_forward", "1"});
            add(SetSysctl{ns(node), node.name, "net.ipv6.conf.all.forwarding", "1"});
        }
        // Every address of a lab is known and unique, so duplicate address
        // detection only delays IPv6: a link-local stays tentative for about
        // a second after its interface comes up, and until then the node
        // neither answers nor sends neighbour discovery from it. Off in every
        // namespace before its interfaces exist ('default'), and for the
        // namespace as a whole ('all': the kernel runs DAD if either says so).
        if (scope == SysctlScope::namespace_wide && ipv6_) {
            add(SetSysctl{ns(node), node.name, "net.ipv6.conf.all.accept_dad", "0"});
            add(SetSysctl{ns(node), node.name, "net.ipv6.conf.default.accept_dad", "0"});
        }
        // A NAT's binding lifetime is its namespace's conntrack timeouts.
        if (scope == SysctlScope::namespace_wide && node.nat)
            for (const auto& [key, value] : nat_sysctls(*node.nat))
                add(SetSysctl{ns(node), node.name, key, value});
        if (scope == SysctlScope::interface) add_nd_proxy_sysctls(node);
        for (const auto& s : node.sysctls)
            if (in_scope(node, s.key, scope)) add(SetSysctl{ns(node), node.name, s.key, s.value});
    }
};

}  // namespace

Plan make_plan(const Lab& lab) {
    return Planner(lab).run();
}

// The name servers a DHCP server hands out: the IPv4 addresses the lab's
// DNS server listens on (a client's resolv.conf is natlab's, which names the
// same server), none when the lab runs none (its names are in the hosts file).
std::vector<IpAddress> dhcp_resolvers(const Lab& lab) {
    std::vector<IpAddress> out;
    if (!lab.dns) return out;
    for (const auto& a : dns_listen_addresses(lab))
        if (a.family == Family::ipv4 && out.size() < 3) out.push_back(a);
    return out;
}

DhcpService dhcp_service(const Lab& lab, const LabNode& node) {
    return {lab.name,
            node.name,
            node.dhcp,
            dhcp_resolvers(lab),
            dhcp_server_file(lab.name, node.name, ".conf"),
            dhcp_server_file(lab.name, node.name, ".leases"),
            dhcp_server_file(lab.name, node.name, ".log")};
}

DhcpClient dhcp_client(const std::string& lab, const std::string& node, const std::string& ifname) {
    return {lab,
            node,
            ifname,
            dhcp_client_file(lab, node, ifname, ".script"),
            dhcp_client_file(lab, node, ifname, ".lease"),
            dhcp_client_file(lab, node, ifname, ".log")};
}

}  // namespace natlab
