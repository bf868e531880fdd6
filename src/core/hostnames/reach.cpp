#include "core/hostnames/reach.hpp"

#include <algorithm>
#include <optional>

#include "core/nat/nat_outsides.hpp"

namespace natlab {
namespace {

constexpr int kMostHops = 64;

bool holds(const LabNode& node, const IpAddress& address) {
    for (const auto& i : node.interfaces) {
        if (i.link_local && i.link_local->address == address) return true;
        for (const auto& a : i.addresses)
            if (a.address == address) return true;
    }
    return false;
}

struct Hop {
    const LabNode* node = nullptr;
    std::string interface;  // where the datagram arrived ("" at its sender)
};

class Walker {
  public:
    explicit Walker(const Lab& lab) : lab_(lab) {}

    // The interfaces a datagram sent out of node:ifname arrives on; a
    // switch is looked through to every other node it joins.
    std::vector<Hop> neighbours(const std::string& node, const std::string& ifname) const {
        std::vector<Hop> out;
        for (const auto& link : lab_.links) {
            std::string peer, peer_if;
            if (link.node_a == node && link.interface_a == ifname) {
                peer = link.node_b, peer_if = link.interface_b;
            } else if (link.node_b == node && link.interface_b == ifname) {
                peer = link.node_a, peer_if = link.interface_a;
            } else {
                continue;
            }
            const LabNode* n = lab_.find_node(peer);
            if (!n) continue;
            if (n->kind != NodeKind::switch_) {
                out.push_back({n, peer_if});
                continue;
            }
            for (const auto& port : n->interfaces)
                if (port.name != peer_if)
                    for (const auto& h : neighbours(n->name, port.name))
                        if (h.node->name != node) out.push_back(h);
        }
        return out;
    }

    struct Route {
        std::string interface;
        IpAddress next_hop;
    };

    // Longest prefix first; a connected subnet wins a tie.
    std::optional<Route> route(const LabNode& node, const IpAddress& to) const {
        std::optional<Route> best;
        int best_prefix = -1;
        for (const auto& i : node.interfaces) {
            if (i.down) continue;
            for (const auto& a : i.addresses)
                if (a.address.family == to.family && a.network().contains(to) &&
                    a.prefix > best_prefix) {
                    best = Route{i.name, to};
                    best_prefix = a.prefix;
                }
        }
        for (const auto& r : node.routes) {
            if (r.destination.address.family != to.family || !r.destination.contains(to) ||
                r.destination.prefix <= best_prefix)
                continue;
            IpAddress next = r.gateway ? *r.gateway : to;
            std::string device = r.device;
            if (device.empty())
                for (const auto& i : node.interfaces)
                    for (const auto& a : i.addresses)
                        if (device.empty() && a.network().contains(next)) device = i.name;
            const LabInterface* i = node.find_interface(device);
            if (!i || i->down) continue;
            best = Route{device, next};
            best_prefix = r.destination.prefix;
        }
        return best;
    }

    // The node that takes a datagram for `next_hop` sent out of node:ifname.
    std::optional<Hop> next(const LabNode& node, const Route& r) const {
        std::vector<Hop> peers = neighbours(node.name, r.interface);
        for (const auto& h : peers)
            if (holds(*h.node, r.next_hop)) return h;
        // A link-local gateway the kernel made from a MAC: the one peer of a veth.
        if (r.next_hop.is_ipv6_link_local() && peers.size() == 1) return peers.front();
        return std::nullopt;
    }

    static bool lets_in(const LabNode& nat, Family family) {
        if (family == Family::ipv4) return !nat.nat->behaviour.firewall;
        return !nat.nat->ipv6 || !nat.nat->ipv6->has_rules();
    }
    // A NAT's IPv4 rules (and NAT66's, the same) drop what opens a flow
    // from outside even to the NAT itself; the IPv6 firewall lets that in.
    static bool lets_in_to_itself(const LabNode& nat, Family family) {
        if (family == Family::ipv4) return !nat.nat->behaviour.firewall;
        return !nat.nat->ipv6 || nat.nat->ipv6->mode != Ipv6Mode::nat66 ||
               !nat.nat->ipv6->behaviour.firewall;
    }
    // allow-outbound lets only the ports it lists out: a question is UDP to 53.
    static bool lets_out_dns(const LabNode& nat, Family family) {
        const NatBehaviour* b = &nat.nat->behaviour;
        if (family == Family::ipv6) {
            if (!nat.nat->ipv6 || !nat.nat->ipv6->has_rules()) return true;
            b = &nat.nat->ipv6->behaviour;
        }
        if (!b->allowed_outbound) return true;
        const AllowedPort dns{Protocol::udp, 53};
        return std::find(b->allowed_outbound->begin(), b->allowed_outbound->end(), dns) !=
               b->allowed_outbound->end();
    }
    static bool translates(const LabNode& nat, Family family) {
        if (family == Family::ipv4) return true;
        return nat.nat->ipv6 &&
               (nat.nat->ipv6->mode == Ipv6Mode::nat66 || nat.nat->ipv6->mode == Ipv6Mode::nptv6);
    }

    struct Arrival {
        const LabNode* node = nullptr;
        const LabNode* translated_by = nullptr;  // the last NAT that translated the source
    };

    // Where a datagram from `from` to `to` ends; `answer`: it answers a flow
    // every NAT on its way has seen begin on its inside.
    std::optional<Arrival> walk(const LabNode& from, const IpAddress& to, bool answer,
                                const LabNode* stop_at = nullptr) const {
        Hop at{&from, ""};
        const LabNode* translated_by = nullptr;
        for (int hops = 0; hops < kMostHops; ++hops) {
            const LabNode& node = *at.node;
            if (holds(node, to) && node.nat && &node != &from && !answer &&
                is_nat_outside(*node.nat, at.interface) && !lets_in_to_itself(node, to.family))
                return std::nullopt;
            if (holds(node, to) || &node == stop_at) return Arrival{&node, translated_by};
            if (&node != &from && node.kind == NodeKind::host) return std::nullopt;
            auto r = route(node, to);
            if (!r) return std::nullopt;
            if (node.nat && &node != &from) {
                bool in_from_outside = is_nat_outside(*node.nat, at.interface);
                bool out_to_outside = is_nat_outside(*node.nat, r->interface);
                if (in_from_outside && !out_to_outside && !answer && !lets_in(node, to.family))
                    return std::nullopt;
                if (!in_from_outside && out_to_outside && !answer && !lets_out_dns(node, to.family))
                    return std::nullopt;
                if (!in_from_outside && out_to_outside && translates(node, to.family))
                    translated_by = &node;
            }
            auto hop = next(node, *r);
            if (!hop) return std::nullopt;
            at = *hop;
        }
        return std::nullopt;
    }

  private:
    const Lab& lab_;
};

bool has_family(const LabNode& node, Family family) {
    for (const auto& i : node.interfaces)
        for (const auto& a : i.addresses)
            if (a.address.family == family) return true;
    return false;
}

// The address the kernel gives a datagram of the route's interface's
// family: one of that interface, else one of the node's.
std::optional<IpAddress> source_address(const LabNode& node, const std::string& ifname,
                                        Family family) {
    if (const LabInterface* i = node.find_interface(ifname))
        for (const auto& a : i->addresses)
            if (a.address.family == family) return a.address;
    for (const auto& i : node.interfaces)
        for (const auto& a : i.addresses)
            if (a.address.family == family) return a.address;
    return std::nullopt;
}

}  // namespace

bool reaches(const Lab& lab, const LabNode& from, const IpAddress& to) {
    if (holds(from, to)) return true;
    if (!has_family(from, to.family)) return false;
    Walker walker(lab);
    auto out = walker.walk(from, to, false);
    if (!out) return false;
    if (out->translated_by) {
        // The answer goes to the NAT's address, which gives it back inside.
        const LabNode& nat = *out->translated_by;
        // Its address on the outside the datagram left by.
        auto leaves = walker.route(nat, to);
        const LabInterface* outside =
            nat.find_interface(leaves ? leaves->interface : nat.nat->outside);
        auto address = outside ? source_address(nat, outside->name, to.family) : std::nullopt;
        return address && walker.walk(*out->node, *address, true, &nat);
    }
    auto first = walker.route(from, to);
    auto source = first ? source_address(from, first->interface, to.family) : std::nullopt;
    return source && walker.walk(*out->node, *source, true, &from).has_value();
}

}  // namespace natlab
