#pragma once
// The topology as the user wrote it: plain structs, every value carrying its
// source position so that any later check can point at it.
#include <optional>
#include <string>
#include <vector>

#include "core/condition/condition_spec.hpp"
#include "core/dhcp/dhcp_spec.hpp"
#include "core/dns/dns_spec.hpp"
#include "core/input/diagnostics.hpp"
#include "core/input/marked.hpp"
#include "core/nat/nat_spec.hpp"
#include "core/switch/port_security.hpp"
#include "core/util/enum_names.hpp"
#include "core/util/ip.hpp"
#include "core/util/mac.hpp"

namespace natlab {

enum class NodeKind { host, router, nat, switch_ };
constexpr NameTable<NodeKind, 4> name_table(NodeKind) {
    return {{{NodeKind::host, "host"},
             {NodeKind::router, "router"},
             {NodeKind::nat, "nat"},
             {NodeKind::switch_, "switch"}}};
}

// One address written on a link endpoint. A missing prefix ("10.0.1.5")
// takes the prefix of the link's subnet.
struct AddressSpec {
    IpAddress address;
    std::optional<int> prefix;
    SourcePos pos;
};

struct EndpointSpec {
    Marked<std::string> node;
    Marked<std::string> interface;
    std::vector<AddressSpec> addresses;
    std::optional<Marked<MacAddress>> mac;  // "vm:eth0 02:00:00:00:00:01"
    // "vma:eth0 dhcp": its IPv4 address comes from its segment's DHCP server.
    std::optional<SourcePos> dhcp;
    SourcePos pos;
    // "phone:eth0 slaac": the host takes its IPv6 address and default route
    // from the router advertisements on the link; natlab assigns it none.
    std::optional<SourcePos> slaac;
};

struct LinkSpec {
    std::vector<EndpointSpec> endpoints;
    std::vector<Marked<Cidr>> subnets;  // at most one per family
    std::optional<Marked<int>> mtu;
    LinkConditionSpec condition;  // delay, rate, ... and a preset
    SourcePos pos;
};

// "default: nat0" or "10.0.0.0/8: 10.0.1.254": destination -> gateway.
struct RouteSpec {
    std::optional<Cidr> destination;  // nullopt: the default route
    SourcePos destination_pos;
    // An address, a link-local address with its interface ("fe80::1%wan"),
    // or a node name.
    Marked<std::string> via;
};

struct SysctlSpec {
    Marked<std::string> key;
    Marked<std::string> value;
};

// A container section as written, on a node or at the top level (the lab's
// defaults). Every key is optional: a node's value wins over the default.
struct ContainerSpec {
    SourcePos pos;
    std::optional<Marked<bool>> enabled;  // "container: false" / "container: true"
    std::optional<Marked<std::string>> root, ephemeral, boot, ready_timeout;
    std::optional<Marked<std::vector<std::string>>> command;  // a string is run by /bin/sh -c
    std::optional<std::vector<Marked<std::string>>> capabilities, binds;
    std::optional<std::vector<std::pair<Marked<std::string>, Marked<std::string>>>> env;
};

struct NodeSpec {
    Marked<std::string> name;
    Marked<NodeKind> kind;
    std::vector<RouteSpec> routes;
    std::vector<SysctlSpec> sysctls;
    std::vector<Marked<std::string>> outside;  // nat: must be exactly one
    SourcePos outside_pos;
    // router, nat: interfaces on which the node answers neighbour
    // solicitations for the hosts behind it that hold addresses of that
    // interface's IPv6 subnet (core/topology/nd_proxy)
    std::vector<Marked<std::string>> nd_proxy;
    // router, nat: interfaces it sends router advertisements on ('ra: [lan]')
    std::vector<Marked<std::string>> ra;
    // router, nat: the interfaces it serves DHCP on (core/dhcp)
    std::vector<DhcpServeSpec> dhcp;
    std::vector<Marked<Cidr>> subnets;            // switch: the segment's subnets
    std::vector<PortSecuritySpec> port_security;  // switch: per port
    NatSpec nat;                                  // nat: its behaviour
    std::optional<Ipv6Spec> ipv6;                 // nat: what it does to IPv6, when written
    std::optional<ContainerSpec> container;
    std::optional<DnsSpec> dns;  // host, router, nat: the lab's DNS server runs here
};

struct Topology {
    std::string file;
    Marked<std::string> name;
    std::optional<Marked<std::string>> probe_server;
    std::optional<ContainerSpec> container;  // defaults for every node's container
    std::vector<NodeSpec> nodes;
    std::vector<LinkSpec> links;

    std::vector<std::string> node_names() const {
        std::vector<std::string> names;
        for (const auto& n : nodes) names.push_back(n.name.value);
        return names;
    }
    const NodeSpec* find_node(std::string_view node_name) const {
        for (const auto& n : nodes)
            if (n.name.value == node_name) return &n;
        return nullptr;
    }
};

}  // namespace natlab
