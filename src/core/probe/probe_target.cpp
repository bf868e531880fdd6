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

// The node (and its address) that `node`'s IPv4 default route points at.
std::optional<Owner> default_gateway(const Lab& lab, const LabNode& node) {
    for (const auto& r : node.routes)
        if (r.destination.prefix == 0 && r.destination.address.family == Family::ipv4 && r.gateway)
            return owner_of(lab, *r.gateway);
    return std::nullopt;
}

std::optional<Owner> first_ipv4(const LabNode& node) {
    for (const auto& iface : node.interfaces)
        for (const auto& a : iface.addresses)
            if (a.address.family == Family::ipv4) return Owner{&node, &iface, a};
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

// The highest host address of the subnet that no interface of the lab holds.
std::optional<Cidr> spare_address(const Lab& lab, const Cidr& primary) {
    if (primary.prefix > 30) return std::nullopt;
    std::uint64_t hosts = (std::uint64_t{1} << (32 - primary.prefix)) - 2;
    for (std::uint64_t n = hosts; n >= 1; --n) {
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

Owner server_for(const Lab& lab, const LabNode& nat, const std::string& server) {
    std::string named = server.empty() ? lab.probe_server : server;
    if (!named.empty()) {
        const LabNode& node = node_named(lab, named, "the probe server");
        if (auto owner = first_ipv4(node)) return *owner;
        throw InvalidInput("natlab: probe server " + quote(named) +
                           " has no IPv4 address; choose a node on the public side that has one");
    }
    if (auto gateway = default_gateway(lab, nat)) return *gateway;
    throw InvalidInput("natlab: nat node " + quote(nat.name) +
                       " has no IPv4 default route, so its public side is unknown; name a server "
                       "node with --server NODE or 'probe-server: NODE' in the topology");
}

}  // namespace

ProbeTarget probe_target(const Lab& lab, const std::string& host, const std::string& server) {
    const LabNode& client = node_named(lab, host, "the probe client");
    auto gateway = default_gateway(lab, client);
    if (!gateway || gateway->node->kind != NodeKind::nat) {
        throw InvalidInput("natlab: " + quote(host) +
                           " is not directly behind a NAT (its IPv4 default route " +
                           (gateway ? std::string("leads to ") + name_of(gateway->node->kind) +
                                          " " + quote(gateway->node->name)
                                    : std::string("is missing")) +
                           "); probe from a host whose default route points at a nat node");
    }
    Owner srv = server_for(lab, *gateway->node, server);
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
        "",   std::nullopt};
    if (auto inside = address_towards(client, gateway->address.address)) {
        target.host_ifname = inside->iface->name;
        target.host_spare = spare_address(lab, inside->address);
    }
    return target;
}

std::optional<std::string> host_behind(const Lab& lab, const std::string& nat) {
    for (const auto& node : lab.nodes) {
        if (node.kind != NodeKind::host) continue;
        if (auto gateway = default_gateway(lab, node); gateway && gateway->node->name == nat)
            return node.name;
    }
    return std::nullopt;
}

}  // namespace natlab
