#include "core/topology/routing.hpp"

#include <set>

#include "core/util/text.hpp"

namespace natlab {
namespace {

struct Connected {
    std::string interface;
    Cidr address;
    int segment;
};

std::vector<Connected> connected_of(const std::string& node, const Addressing& addressing) {
    std::vector<Connected> out;
    // Keys sort by node first: the node's interfaces are one run of the map.
    const auto& all = addressing.addresses;
    for (auto it = all.lower_bound({node, ""}); it != all.end() && it->first.node == node; ++it) {
        for (const auto& c : it->second)
            out.push_back({it->first.interface, c, addressing.segment_of.at(it->first)});
    }
    return out;
}

bool has_refused_address(const std::string& node, const Addressing& addressing) {
    auto it = addressing.refused.lower_bound({node, ""});
    return it != addressing.refused.end() && it->node == node;
}

Cidr default_route(Family family) {
    Cidr c;
    c.address.family = family;
    c.prefix = 0;
    return c;
}

std::string describe(const RouteSpec& r) {
    return r.destination ? "route to " + r.destination->str() : "default route";
}

// Gateway written as an address: it must sit on one of the node's subnets.
void resolve_address_gateway(const NodeSpec& node, const RouteSpec& r, const IpAddress& gw,
                             const std::vector<Connected>& mine, std::vector<LabRoute>& out,
                             Diagnostics& diag) {
    if (r.destination && r.destination->address.family != gw.family) {
        diag.error(r.via.pos, "gateway " + gw.str() + " is " + family_name(gw.family) +
                                  " but the destination " + r.destination->str() + " is " +
                                  family_name(r.destination->address.family) +
                                  "; use a gateway of the same family");
        return;
    }
    for (const auto& c : mine) {
        if (c.address.address == gw) {
            diag.error(r.via.pos, "gateway " + gw.str() + " is an address of node " +
                                      quote(node.name.value) +
                                      " itself; name a neighbour's address or node");
            return;
        }
    }
    for (const auto& c : mine) {
        if (c.address.contains(gw)) {
            out.push_back({r.destination.value_or(default_route(gw.family)), gw});
            return;
        }
    }
    std::vector<std::string> subnets;
    for (const auto& c : mine) subnets.push_back(c.address.network().str());
    diag.error(r.via.pos,
               "gateway " + gw.str() + " of the " + describe(r) + " is not on any subnet of node " +
                   quote(node.name.value) +
                   (subnets.empty() ? " (it has no addresses)" : " (" + join(subnets, ", ") + ")") +
                   "; use a neighbour's address or its node name");
}

// Gateway written as a node name: its address on a segment both nodes share.
void resolve_node_gateway(const NodeSpec& node, const RouteSpec& r, const Addressing& addressing,
                          const std::vector<Connected>& mine, std::vector<LabRoute>& out,
                          Diagnostics& diag) {
    const std::string& peer = r.via.value;
    if (peer == node.name.value) {
        diag.error(r.via.pos,
                   "node " + quote(peer) + " cannot be its own gateway; name a neighbour");
        return;
    }
    // The peer's interfaces on segments this node is on, in interface order
    // (looked up by segment: a star's centre has thousands of others).
    std::set<std::string> shared;
    for (const auto& c : mine)
        if (auto it = addressing.interfaces_on.find({peer, c.segment});
            it != addressing.interfaces_on.end())
            shared.insert(it->second.begin(), it->second.end());
    std::map<Family, IpAddress> gateway;
    for (const auto& ifname : shared) {
        auto addresses = addressing.addresses.find({peer, ifname});
        if (addresses == addressing.addresses.end()) continue;
        for (const auto& a : addresses->second) gateway.emplace(a.address.family, a.address);
    }
    if (r.destination) {
        auto family = r.destination->address.family;
        if (auto it = gateway.find(family); it != gateway.end()) {
            out.push_back({*r.destination, it->second});
        } else {
            diag.error(r.via.pos, "node " + quote(peer) + " shares no " + family_name(family) +
                                      " subnet with " + quote(node.name.value) +
                                      ", so it cannot be the gateway of the " + describe(r) +
                                      "; link the two nodes or name another gateway");
        }
        return;
    }
    if (gateway.empty()) {
        diag.error(r.via.pos, "node " + quote(peer) + " shares no subnet with " +
                                  quote(node.name.value) +
                                  ", so it cannot be its default gateway; link the two nodes or "
                                  "name another gateway");
        return;
    }
    for (const auto& [family, gw] : gateway) out.push_back({default_route(family), gw});
}

}  // namespace

std::vector<LabRoute> resolve_routes(const Topology& topo, const NodeSpec& node,
                                     const Addressing& addressing, Diagnostics& diag) {
    std::vector<LabRoute> out;
    auto mine = connected_of(node.name.value, addressing);
    std::set<Cidr> destinations;
    for (const auto& r : node.routes) {
        std::size_t before = out.size();
        // A refused address of either node would be the cause of any failure
        // here, and it is reported where it was written: say nothing more.
        bool refused = has_refused_address(node.name.value, addressing);
        if (auto gw = IpAddress::parse(r.via.value)) {
            if (refused) continue;
            resolve_address_gateway(node, r, *gw, mine, out, diag);
        } else if (topo.find_node(r.via.value)) {
            if (refused || has_refused_address(r.via.value, addressing)) continue;
            resolve_node_gateway(node, r, addressing, mine, out, diag);
        } else {
            std::string hint;
            if (diag.worth_a_suggestion()) hint = did_you_mean(r.via.value, topo.node_names());
            diag.error(r.via.pos,
                       "gateway " + quote(r.via.value) + " of the " + describe(r) +
                           " is neither an address nor a node" +
                           (hint.empty() ? "; write a neighbour's address or node name" : hint));
        }
        for (std::size_t i = before; i < out.size(); ++i) {
            if (!destinations.insert(out[i].destination).second) {
                diag.error(r.destination_pos, "node " + quote(node.name.value) +
                                                  " has two routes to " + out[i].destination.str() +
                                                  "; keep one");
            }
        }
    }
    return out;
}

}  // namespace natlab
