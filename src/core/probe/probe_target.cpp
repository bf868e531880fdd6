#include "core/probe/probe_target.hpp"

#include "core/topology/node_interface.hpp"
#include "core/topology/node_lookup.hpp"
#include "core/util/invalid_input.hpp"
#include "core/util/text.hpp"

namespace natlab {

namespace {

struct Owner {
    const LabNode* node = nullptr;
    const LabInterface* iface = nullptr;
    Cidr address;
};

std::optional<Owner> owner_of(const Lab& lab, const IpAddress& ip) {
    for (const auto& node : lab.nodes)
        for (const auto& iface : node.interfaces)
            for (const auto& a : iface.addresses)
                if (a.address == ip) return Owner{&node, &iface, a};
    return std::nullopt;
}

// The node (and its address) that `node`'s default route of `family` points at.
std::optional<Owner> default_gateway(const Lab& lab, const LabNode& node, Family family) {
    for (const auto& r : node.routes)
        if (r.destination.prefix == 0 && r.destination.address.family == family && r.gateway)
            return owner_of(lab, *r.gateway);
    return std::nullopt;
}

// The node's first address of `family` that other networks can reach (not link-local).
std::optional<Owner> first_address(const LabNode& node, Family family) {
    for (const auto& iface : node.interfaces)
        for (const auto& a : iface.addresses)
            if (a.address.family == family && !a.address.is_ipv6_link_local())
                return Owner{&node, &iface, a};
    return std::nullopt;
}

// The address of `node` on the subnet that holds `neighbour`.
std::optional<Owner> address_towards(const LabNode& node, const IpAddress& neighbour) {
    for (const auto& iface : node.interfaces)
        for (const auto& a : iface.addresses)
            if (a.network().contains(neighbour)) return Owner{&node, &iface, a};
    return std::nullopt;
}

bool used(const Lab& lab, const IpAddress& ip) {
    return owner_of(lab, ip).has_value();
}

// The highest host address of the subnet that no interface of the lab holds
// (of an IPv6 subnet wider than 64 bits of hosts, the highest of the last 2^64).
std::optional<Cidr> spare_address(const Lab& lab, const Cidr& primary) {
    const int host_bits = primary.address.bit_width() - primary.prefix;
    if (host_bits < 2) return std::nullopt;
    std::uint64_t hosts =
        host_bits >= 64 ? ~std::uint64_t{0} - 1 : (std::uint64_t{1} << host_bits) - 2;
    // A lab holds a few thousand addresses at most: the search ends long before.
    for (std::uint64_t n = hosts, tried = 0; n >= 1 && tried < 100000; --n, ++tried) {
        auto candidate = primary.network().host(n);
        if (candidate && !used(lab, candidate->address))
            return Cidr{candidate->address, primary.prefix};
    }
    return std::nullopt;
}

const LabNode& node_named(const Lab& lab, const std::string& name, const char* role) {
    if (const LabNode* node = lab.find_node(name)) return *node;
    std::vector<std::string> names;
    for (const auto& n : lab.nodes) names.push_back(n.name);
    throw InvalidInput("natlab: lab " + lab.name + " has no node " + quote(name) + " to use as " +
                       role + "; its nodes are " + node_names(lab) + did_you_mean(name, names));
}

Owner server_for(const Lab& lab, const LabNode& nat, const std::string& server, Family family) {
    const std::string fam = family_name(family);
    std::string named = server.empty() ? lab.probe_server : server;
    if (!named.empty()) {
        const LabNode& node = node_named(lab, named, "the probe server");
        if (auto owner = first_address(node, family)) return *owner;
        throw InvalidInput("natlab: probe server " + quote(named) + " has no " + fam +
                           " address; choose a node on the public side that has one");
    }
    if (auto gateway = default_gateway(lab, nat, family)) return *gateway;
    throw InvalidInput("natlab: nat node " + quote(nat.name) + " has no " + fam +
                       " default route, so its public side is unknown; name a server "
                       "node with --server NODE or 'probe-server: NODE' in the topology");
}

}  // namespace

ProbeTarget probe_target(const Lab& lab, const std::string& host, const std::string& server,
                         Family family) {
    const LabNode& client = node_named(lab, host, "the probe client");
    auto gateway = default_gateway(lab, client, family);
    if (!gateway || gateway->node->kind != NodeKind::nat) {
        throw InvalidInput("natlab: " + quote(host) + " is not directly behind a NAT (its " +
                           family_name(family) + " default route " +
                           (gateway ? std::string("leads to ") + name_of(gateway->node->kind) +
                                          " " + quote(gateway->node->name)
                                    : std::string("is missing")) +
                           "); probe from a host whose default route points at a nat node");
    }
    Owner srv = server_for(lab, *gateway->node, server, family);
    auto alternate = spare_address(lab, srv.address);
    if (!alternate) {
        throw InvalidInput("natlab: the probe server needs a second address, and subnet " +
                           srv.address.network().str() + " of " +
                           NodeInterface{srv.node->name, srv.iface->name}.str() +
                           " has none free; give that link a larger subnet or choose another "
                           "server with --server NODE");
    }
    ProbeTarget target{
        host, gateway->node->name, srv.node->name, srv.iface->name, srv.address, *alternate,
        "",   std::nullopt,        family};
    if (auto inside = address_towards(client, gateway->address.address)) {
        target.host_ifname = inside->iface->name;
        target.host_spare = spare_address(lab, inside->address);
    }
    return target;
}

std::optional<std::string> host_behind(const Lab& lab, const std::string& nat, Family family) {
    for (const auto& node : lab.nodes) {
        if (node.kind != NodeKind::host) continue;
        if (auto gateway = default_gateway(lab, node, family);
            gateway && gateway->node->name == nat)
            return node.name;
    }
    return std::nullopt;
}

}  // namespace natlab
