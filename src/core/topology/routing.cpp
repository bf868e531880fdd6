#include "core/topology/routing.hpp"

#include <algorithm>
#include <set>

#include "core/topology/node_interface.hpp"
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

// The node's interfaces on links, with or without addresses.
std::vector<std::pair<std::string, int>> interfaces_of(const std::string& node,
                                                       const Addressing& addressing) {
    std::vector<std::pair<std::string, int>> out;
    const auto& all = addressing.segment_of;
    for (auto it = all.lower_bound({node, ""}); it != all.end() && it->first.node == node; ++it)
        out.emplace_back(it->first.interface, it->second);
    return out;
}

// A neighbour on the segment that declares `address` as its link-local.
std::optional<InterfaceKey> link_local_holder(const std::string& node, int segment,
                                              const IpAddress& address,
                                              const Addressing& addressing) {
    auto members = addressing.on_segment.find(segment);
    if (members == addressing.on_segment.end()) return std::nullopt;
    for (const auto& key : members->second) {
        if (key.node == node) continue;
        auto it = addressing.link_locals.find(key);
        if (it != addressing.link_locals.end() && it->second.address == address) return key;
    }
    return std::nullopt;
}

bool has_ipv6(const std::vector<Connected>& mine) {
    for (const auto& c : mine)
        if (c.address.address.family == Family::ipv6) return true;
    return false;
}

// A link-local address is on every link at once: which one the route
// leaves by must be written with it.
void refuse_link_local_without_zone(const NodeSpec& node, const RouteSpec& r, const IpAddress& gw,
                                    const Addressing& addressing, Diagnostics& diag) {
    std::vector<std::string> names, holding;
    for (const auto& [ifname, segment] : interfaces_of(node.name.value, addressing)) {
        names.push_back(ifname);
        if (link_local_holder(node.name.value, segment, gw, addressing)) holding.push_back(ifname);
    }
    std::string zone = !holding.empty()    ? holding.front()
                       : names.size() == 1 ? names.front()
                                           : "INTERFACE";
    std::string fix = "write " + gw.str() + "%" + zone;
    if (holding.empty()) {
        if (names.size() > 1) fix += " (one of " + join(names, ", ") + ")";
        fix += " and " + gw.str() + " on the neighbour's end of that link";
    }
    diag.error(r.via.pos, "gateway " + gw.str() + " of the " + describe(r) +
                              " is link-local, so it needs the interface it is reached "
                              "through; " +
                              fix);
}

// Gateway written as "fe80::1%wan": a neighbour's declared link-local
// address, reached through the named interface.
void resolve_zoned_gateway(const Topology& topo, const NodeSpec& node, const RouteSpec& r,
                           const Addressing& addressing, std::vector<LabRoute>& out,
                           Diagnostics& diag) {
    const std::string& text = r.via.value;
    auto percent = text.find('%');
    std::string zone = text.substr(percent + 1);
    auto gw = IpAddress::parse(text.substr(0, percent));
    if (!gw || zone.empty()) {
        diag.error(r.via.pos, "gateway " + quote(text) + " of the " + describe(r) +
                                  " is not an address and interface; write a link-local "
                                  "address and the interface it is reached through, e.g. "
                                  "fe80::1%eth0");
        return;
    }
    if (!gw->is_ipv6_link_local()) {
        diag.error(r.via.pos, "gateway " + quote(text) + " of the " + describe(r) +
                                  " names an interface, which only a link-local gateway "
                                  "(fe80::/10) needs; write " +
                                  gw->str());
        return;
    }
    if (r.destination && r.destination->address.family != Family::ipv6) {
        diag.error(r.via.pos, "gateway " + text + " is IPv6 but the destination " +
                                  r.destination->str() + " is IPv4; use a gateway of the same " +
                                  "family");
        return;
    }
    auto mine = interfaces_of(node.name.value, addressing);
    auto iface =
        std::find_if(mine.begin(), mine.end(), [&](const auto& i) { return i.first == zone; });
    if (iface == mine.end()) {
        std::vector<std::string> names;
        for (const auto& i : mine) names.push_back(i.first);
        diag.error(r.via.pos, "gateway " + text + " of the " + describe(r) + " names interface " +
                                  quote(zone) + ", which " + quote(node.name.value) +
                                  " does not have" +
                                  (closest(zone, names) ? did_you_mean(zone, names)
                                   : names.empty()      ? "; link the node first"
                                                   : "; its interfaces: " + join(names, ", ")));
        return;
    }
    InterfaceKey own{node.name.value, zone};
    if (auto it = addressing.link_locals.find(own);
        it != addressing.link_locals.end() && it->second.address == *gw) {
        diag.error(r.via.pos, "gateway " + text + " is an address of node " +
                                  quote(node.name.value) +
                                  " itself; name a neighbour's address or node");
        return;
    }
    if (!link_local_holder(node.name.value, iface->second, *gw, addressing)) {
        std::string example;
        auto members = addressing.on_segment.find(iface->second);
        if (members != addressing.on_segment.end())
            for (const auto& key : members->second) {
                if (key.node == node.name.value) continue;
                const NodeSpec* holder = topo.find_node(key.node);
                if (!holder || holder->kind.value == NodeKind::switch_) continue;
                example = ", e.g. '" + NodeInterface{key.node, key.interface}.str() + " " +
                          gw->str() + "'";
                break;
            }
        diag.error(r.via.pos, "gateway " + text + " of the " + describe(r) + ": no neighbour on " +
                                  NodeInterface{node.name.value, zone}.str() +
                                  " has the link-local address " + gw->str() +
                                  " (the kernel makes each interface's own from a random MAC); "
                                  "write it on the neighbour's end of the link" +
                                  example);
        return;
    }
    out.push_back({r.destination.value_or(default_route(Family::ipv6)), *gw, zone});
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
            out.push_back({r.destination.value_or(default_route(gw.family)), gw, ""});
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

// The node has an interface written 'dhcp' on a segment `peer` is on.
bool takes_dhcp_from(const std::string& node, const std::string& peer,
                     const Addressing& addressing) {
    for (auto it = addressing.dhcp_clients.lower_bound({node, ""});
         it != addressing.dhcp_clients.end() && it->first.node == node; ++it)
        if (addressing.interfaces_on.count({peer, addressing.segment_of.at(it->first)}))
            return true;
    return false;
}

// Gateway written as a node name: its address on a segment both nodes share.
// Whether `node` takes its address by SLAAC ("phone:eth0 slaac") on a link
// `peer` is on: its IPv6 default route through `peer` comes from the peer's
// router advertisements, not from the file.
bool slaac_towards(const Topology& topo, const std::string& node, const std::string& peer,
                   const Addressing& addressing) {
    for (const auto& link : topo.links)
        for (const auto& e : link.endpoints) {
            if (!e.slaac || e.node.value != node) continue;
            auto segment = addressing.segment_of.find({node, e.interface.value});
            if (segment != addressing.segment_of.end() &&
                addressing.interfaces_on.count({peer, segment->second}))
                return true;
        }
    return false;
}

void resolve_node_gateway(const Topology& topo, const NodeSpec& node, const RouteSpec& r,
                          const Addressing& addressing, const std::vector<Connected>& mine,
                          std::vector<LabRoute>& out, Diagnostics& diag) {
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
    std::map<Family, LabRoute> gateway;  // without its destination
    for (const auto& ifname : shared) {
        auto addresses = addressing.addresses.find({peer, ifname});
        if (addresses == addressing.addresses.end()) continue;
        for (const auto& a : addresses->second)
            gateway.emplace(a.address.family, LabRoute{{}, a.address, ""});
    }
    // A peer with no IPv6 address beside this node's may still have a
    // declared link-local one: an IPv6 host reaches it through that.
    if (!gateway.count(Family::ipv6) && has_ipv6(mine))
        for (const auto& [ifname, segment] : interfaces_of(node.name.value, addressing)) {
            auto peers = addressing.interfaces_on.find({peer, segment});
            if (peers == addressing.interfaces_on.end()) continue;
            for (const auto& peer_if : peers->second)
                if (auto ll = addressing.link_locals.find({peer, peer_if});
                    ll != addressing.link_locals.end())
                    gateway.emplace(Family::ipv6, LabRoute{{}, ll->second.address, ifname});
        }
    if (r.destination) {
        auto family = r.destination->address.family;
        if (auto it = gateway.find(family); it != gateway.end()) {
            out.push_back({*r.destination, it->second.gateway, it->second.device});
        } else {
            diag.error(r.via.pos, "node " + quote(peer) + " shares no " + family_name(family) +
                                      " subnet with " + quote(node.name.value) +
                                      ", so it cannot be the gateway of the " + describe(r) +
                                      "; link the two nodes or name another gateway");
        }
        return;
    }
    if (gateway.empty() && takes_dhcp_from(node.name.value, peer, addressing)) {
        diag.error(r.via.pos, quote(node.name.value) +
                                  " takes its IPv4 address and default route by DHCP from " +
                                  quote(peer) + "; remove this route");
        return;
    }
    if (gateway.empty()) {
        if (slaac_towards(topo, node.name.value, peer, addressing)) return;
        diag.error(r.via.pos, "node " + quote(peer) + " shares no subnet with " +
                                  quote(node.name.value) +
                                  ", so it cannot be its default gateway; link the two nodes or "
                                  "name another gateway");
        return;
    }
    for (const auto& [family, gw] : gateway)
        out.push_back({default_route(family), gw.gateway, gw.device});
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
        if (r.via.value.find('%') != std::string::npos) {
            if (refused) continue;
            resolve_zoned_gateway(topo, node, r, addressing, out, diag);
        } else if (auto gw = IpAddress::parse(r.via.value); gw && gw->is_ipv6_link_local()) {
            if (refused) continue;
            refuse_link_local_without_zone(node, r, *gw, addressing, diag);
        } else if (gw) {
            if (refused) continue;
            resolve_address_gateway(node, r, *gw, mine, out, diag);
        } else if (topo.find_node(r.via.value)) {
            if (refused || has_refused_address(r.via.value, addressing)) continue;
            resolve_node_gateway(topo, node, r, addressing, mine, out, diag);
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
