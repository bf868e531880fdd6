#include "core/topology/delegation.hpp"

#include <map>
#include <set>

namespace natlab {
namespace {

bool forwards(const LabNode& node) {
    return node.kind == NodeKind::router || node.kind == NodeKind::nat;
}

const LabRoute* ipv6_default_route(const LabNode& node) {
    for (const auto& r : node.routes)
        if (r.destination.address.family == Family::ipv6 && r.destination.prefix == 0 && r.gateway)
            return &r;
    return nullptr;
}

// A node's place in the chain of default routes: whom it forwards to, how
// the parent reaches it back, and the IPv6 subnets on its other interfaces.
struct Uplink {
    std::size_t parent = 0;
    LabRoute via;                // the parent's next hop to the node (no destination)
    std::set<Cidr> own_subnets;  // behind it: its IPv6 subnets off that link
    // A NAT66 hides what is behind it; an NPTv6 node shows its outside
    // prefix instead: nothing further down is routed to it by its inside name.
    bool translates = false;
};

// An end of a link: a node and its interface.
struct End {
    std::size_t node = 0;
    std::string interface;
};

class Delegation {
  public:
    explicit Delegation(Lab& lab) : lab_(lab) {
        for (std::size_t i = 0; i < lab.nodes.size(); ++i) {
            index_[lab.nodes[i].name] = i;
            for (const auto& iface : lab.nodes[i].interfaces)
                for (const auto& a : iface.addresses)
                    if (a.address.family == Family::ipv6) owner_[a.address] = i;
        }
        for (const auto& link : lab.links) {
            auto a = index_.find(link.node_a), b = index_.find(link.node_b);
            if (a == index_.end() || b == index_.end()) continue;
            peers_[{a->second, link.interface_a}].push_back({b->second, link.interface_b});
            peers_[{b->second, link.interface_b}].push_back({a->second, link.interface_a});
        }
        for (std::size_t i = 0; i < lab.nodes.size(); ++i)
            if (auto up = uplink_of(i)) uplinks_[i] = *up;
    }

    // Each forwarding node's parent gets a route to every subnet behind the
    // node; the parent's own parent learns them in its turn, through it.
    void run() {
        for (const auto& [node, up] : uplinks_) {
            std::set<std::size_t> seen{node};
            LabNode& parent = lab_.nodes[up.parent];
            for (const auto& subnet : subnets_behind(node, seen))
                if (!reaches(parent, subnet))
                    parent.routes.push_back({subnet, up.via.gateway, up.via.device});
        }
    }

  private:
    Lab& lab_;
    std::map<std::string, std::size_t> index_;
    std::map<IpAddress, std::size_t> owner_;
    std::map<std::pair<std::size_t, std::string>, std::vector<End>> peers_;
    std::map<std::size_t, Uplink> uplinks_;

    // The ends that share a segment with the node's interface: the other end
    // of its link, or of every link of the switch it is plugged into.
    std::vector<End> neighbours(std::size_t node, const std::string& ifname) const {
        std::vector<End> out;
        auto it = peers_.find({node, ifname});
        if (it == peers_.end()) return out;
        for (const auto& end : it->second) {
            if (lab_.nodes[end.node].kind != NodeKind::switch_) {
                out.push_back(end);
                continue;
            }
            for (const auto& port : lab_.nodes[end.node].interfaces) {
                auto beyond = peers_.find({end.node, port.name});
                if (beyond == peers_.end()) continue;
                for (const auto& far : beyond->second)
                    if (far.node != node || far.interface != ifname) out.push_back(far);
            }
        }
        return out;
    }

    // The neighbour a default route points at, and its end of the link.
    std::optional<End> gateway_end(std::size_t node, const LabRoute& route) const {
        const IpAddress& gateway = *route.gateway;
        if (!gateway.is_ipv6_link_local()) {
            auto owner = owner_.find(gateway);
            if (owner == owner_.end()) return std::nullopt;
            for (const auto& iface : lab_.nodes[owner->second].interfaces)
                for (const auto& a : iface.addresses)
                    if (a.address == gateway) return End{owner->second, iface.name};
            return std::nullopt;
        }
        for (const auto& end : neighbours(node, route.device)) {
            const LabInterface* iface = lab_.nodes[end.node].find_interface(end.interface);
            if (iface && iface->link_local && iface->link_local->address == gateway) return end;
        }
        return std::nullopt;
    }

    std::optional<Uplink> uplink_of(std::size_t index) const {
        const LabNode& node = lab_.nodes[index];
        if (!forwards(node)) return std::nullopt;
        const LabRoute* route = ipv6_default_route(node);
        if (!route) return std::nullopt;
        auto parent = gateway_end(index, *route);
        if (!parent) return std::nullopt;
        // The node's interface toward its parent and its address there: the
        // one on the gateway's subnet, or on the named interface.
        const LabInterface* toward = nullptr;
        std::optional<Cidr> uplink_subnet;
        for (const auto& iface : node.interfaces)
            for (const auto& a : iface.addresses)
                if (a.address.family == Family::ipv6 &&
                    (route->device.empty() ? a.contains(*route->gateway)
                                           : iface.name == route->device) &&
                    !uplink_subnet) {
                    toward = &iface;
                    uplink_subnet = a;
                }
        Uplink up;
        up.parent = parent->node;
        if (uplink_subnet) {
            up.via = {{}, uplink_subnet->address, ""};
        } else if (const LabInterface* named = node.find_interface(route->device);
                   named && named->link_local) {
            toward = named;
            up.via = {{}, named->link_local->address, parent->interface};
        } else {
            return std::nullopt;
        }
        for (const auto& iface : node.interfaces) {
            if (&iface == toward) continue;
            for (const auto& a : iface.addresses) {
                if (a.address.family != Family::ipv6) continue;
                // Inside the uplink's own prefix: on the parent's link, where
                // the node answers for it (nd_proxy); nothing to delegate.
                if (uplink_subnet && uplink_subnet->network().contains(a.address) &&
                    a.prefix >= uplink_subnet->prefix)
                    continue;
                up.own_subnets.insert(a.network());
            }
        }
        if (node.nat && node.nat->ipv6) {
            const Ipv6Side& side = *node.nat->ipv6;
            if (side.mode == Ipv6Mode::nat66 || side.mode == Ipv6Mode::nptv6) {
                up.translates = true;
                up.own_subnets.clear();
                if (side.outside_prefix) up.own_subnets.insert(*side.outside_prefix);
            }
        }
        return up;
    }

    // Every subnet behind `node`: its own, and those behind each forwarding
    // node whose default route points at it.
    std::set<Cidr> subnets_behind(std::size_t node, std::set<std::size_t>& seen) const {
        std::set<Cidr> out = uplinks_.at(node).own_subnets;
        if (uplinks_.at(node).translates) return out;
        for (const auto& [child, up] : uplinks_) {
            if (up.parent != node || !seen.insert(child).second) continue;
            auto below = subnets_behind(child, seen);
            out.insert(below.begin(), below.end());
        }
        return out;
    }

    // The parent is on the subnet itself, or was given a route to it.
    static bool reaches(const LabNode& node, const Cidr& subnet) {
        for (const auto& iface : node.interfaces)
            for (const auto& a : iface.addresses)
                if (a.network() == subnet) return true;
        for (const auto& r : node.routes)
            if (r.destination == subnet) return true;
        return false;
    }
};

}  // namespace

void add_delegated_routes(Lab& lab) {
    Delegation(lab).run();
}

}  // namespace natlab
