#pragma once
// A validated topology with every address assigned and every route resolved:
// what planning needs, with no positions and no optional guesses left.
#include <optional>
#include <string>
#include <vector>

#include "core/condition/condition.hpp"
#include "core/dhcp/dhcp_lease.hpp"
#include "core/dhcp/dhcp_server.hpp"
#include "core/dns/dns_server.hpp"
#include "core/nat/nat_node.hpp"
#include "core/topology/model.hpp"

namespace natlab {

struct LabInterface {
    std::string name;
    std::vector<Cidr> addresses;  // never link-local
    // An IPv6 link-local address written on the endpoint ("isp:wan fe80::1"),
    // beside the one the kernel makes from the random MAC: a gateway others
    // can name in advance ("default: fe80::1%wan").
    std::optional<Cidr> link_local;
    // Written on the endpoint, else derived from the lab, node and interface
    // (derived_mac): the same on every create.
    MacAddress mac;
    bool bridge_port = false;  // a switch's port: enslaved to the switch bridge
    int mtu = 0;               // 0: kernel default
    LinkCondition condition;   // what it does to the packets it sends
    bool down = false;         // taken down by 'natlab link ... down'
    // Its IPv6 address comes from router advertisements (SLAAC): the prefix
    // it takes one from, which natlab waits for.
    std::optional<Cidr> slaac;
    // A DHCP client ("vma:eth0 dhcp"): the node serving its segment. Its
    // IPv4 address is not in `addresses` until it holds a lease.
    std::string dhcp_server;
    // The lease it holds now, once read from the lab's files
    // (lifecycle/leased_lab); its address is then in `addresses` too.
    std::optional<DhcpLease> lease;
};

struct LabRoute {
    Cidr destination;                  // 0.0.0.0/0 or ::/0 for a default route
    std::optional<IpAddress> gateway;  // none: the destination is on the device's link
    std::string device;                // "": the interface whose subnet holds the gateway
    bool operator==(const LabRoute&) const = default;
};

// A neighbour solicitation the node answers on `interface` for `address`,
// which a host behind it holds (core/topology/nd_proxy).
struct ProxyNeighbour {
    std::string interface;
    IpAddress address;
    bool operator==(const ProxyNeighbour&) const = default;
};

// Router advertisements a node sends on one interface (radvd): the
// interface's IPv6 prefixes, for hosts to configure themselves (SLAAC), the
// node as their default router, and its NAT64 prefix when it has one (PREF64,
// RFC 8781).
struct RouterAdvertisement {
    std::string interface;
    std::vector<Cidr> prefixes;
    std::optional<Cidr> nat64_prefix;
    bool operator==(const RouterAdvertisement&) const = default;
};

// A sysctl the user set on a node; `pos` is where, for checks against the machine.
struct LabSysctl {
    std::string key, value;
    SourcePos pos;
};

struct BindMount {
    std::string source, target;
    bool read_only = false;
    bool operator==(const BindMount&) const = default;
};

// A systemd-nspawn container whose network is its node's namespace.
struct LabContainer {
    std::string root =
        "host";              // "host" (the host's tree under a throw-away overlay) or a directory
    bool ephemeral = false;  // run on a throw-away snapshot of the directory
    bool boot = false;       // run systemd inside; otherwise run `command`
    std::vector<std::string> command;
    std::vector<std::string> capabilities;  // "CAP_NET_ADMIN" ...
    std::vector<BindMount> binds;
    std::vector<std::pair<std::string, std::string>> env;
    int ready_timeout_s = 30;
    // Where root and each bind source were written: checks that look at the
    // machine (does the tree exist?) point there.
    SourcePos root_pos;
    std::vector<SourcePos> bind_pos;

    bool host_root() const { return root == "host"; }
    bool operator==(const LabContainer&) const = default;
};

struct LabNode {
    std::string name;
    SourcePos pos;  // where the node is written, for checks against the machine
    NodeKind kind = NodeKind::host;
    std::vector<LabInterface> interfaces;  // in the order links mention them
    std::vector<LabRoute> routes;
    std::vector<ProxyNeighbour> nd_proxy;
    std::vector<RouterAdvertisement> ra;
    std::vector<DhcpServer> dhcp;  // router, nat: the interfaces it serves DHCP on
    std::vector<LabSysctl> sysctls;
    std::optional<NatNode> nat;  // exactly on nat nodes: where and how it translates
    std::optional<LabContainer> container;
    // switch: every port's policy, when any port has one written
    std::vector<PortSecurity> port_security;

    const LabInterface* find_interface(std::string_view ifname) const {
        for (const auto& i : interfaces)
            if (i.name == ifname) return &i;
        return nullptr;
    }
    LabInterface* find_interface(std::string_view ifname) {
        for (auto& i : interfaces)
            if (i.name == ifname) return &i;
        return nullptr;
    }
};

struct LabLink {
    std::string node_a, interface_a, node_b, interface_b;
    int mtu = 0;                     // 0: kernel default
    LinkCondition a_sends, b_sends;  // also on each end's LabInterface
    SourcePos pos;                   // where the link is written
    MacAddress mac_a, mac_b;         // also on each end's LabInterface
};

struct Lab {
    std::string name;
    std::string probe_server;  // where probes run their server; "" = each NAT's gateway
    std::vector<LabNode> nodes;
    std::vector<LabLink> links;
    std::optional<LabDns> dns;  // the lab's DNS server, when a node has 'dns:'

    const LabNode* find_node(std::string_view node_name) const {
        for (const auto& n : nodes)
            if (n.name == node_name) return &n;
        return nullptr;
    }
};

// The bridge device every switch node holds in its namespace.
inline constexpr const char* kSwitchBridge = "br0";
// Longest lab or node name; "<lab>-<node>" must also fit kMaxNetnsName.
inline constexpr std::size_t kMaxNameLength = 32;
inline constexpr std::size_t kMaxNetnsName = 64;
inline constexpr std::size_t kMaxInterfaceName = 15;

}  // namespace natlab
