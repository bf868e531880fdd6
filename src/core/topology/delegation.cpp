#include "core/topology/delegation.hpp"

#include <map>
#include <set>

namespace natlab {
namespace {

bool forwards(const LabNode& node) {
    return node.kind == NodeKind::router || node.kind == NodeKind::nat;
}

std::optional<IpAddress> ipv6_default_gateway(const LabNode& node) {
    for (const auto& r : node.routes)
        if (r.destination.address.family == Family::ipv6 && r.destination.prefix == 0)
            return r.gateway;
    return std::nullopt;
}

// A node's place in the chain of default routes: whom it forwards to, from
// which of its addresses, and the IPv6 subnets on its other interfaces.
struct Uplink {
    std::size_t parent = 0;
    IpAddress via;               // the node's address on the link to its parent
    std::set<Cidr> own_subnets;  // behind it: its IPv6 subnets off that link
    // A NAT66 hides what is behind it; an NPTv6 node shows its outside
    // prefix instead: nothing further down is routed to it by its inside name.
    bool translates = false;
};

class Delegation {
  public:
    explicit Delegation(Lab& lab) : lab_(lab) {
        for (std::size_t i = 0; i < lab.nodes.size(); ++i)
            for (const auto& iface : lab.nodes[i].interfaces)
                for (const auto& a : iface.addresses)
                    if (a.address.family == Family::ipv6) owner_[a.address] = i;
        for (std::size_t i = 0; i < lab.nodes.size(); ++i)
            if (auto up = uplink_of(lab.nodes[i])) uplinks_[i] = *up;
    }

    // Each forwarding node's parent gets a route to every subnet behind the
    // node; the parent's own parent learns them in its turn, through it.
    void run() {
        for (const auto& [node, up] : uplinks_) {
            std::set<std::size_t> seen{node};
            LabNode& parent = lab_.nodes[up.parent];
            for (const auto& subnet : subnets_behind(node, seen))
                if (!reaches(parent, subnet)) parent.routes.push_back({subnet, up.via});
        }
    }

  private:
    Lab& lab_;
    std::map<IpAddress, std::size_t> owner_;
    std::map<std::size_t, Uplink> uplinks_;

    std::optional<Uplink> uplink_of(const LabNode& node) const {
        if (!forwards(node)) return std::nullopt;
        auto gateway = ipv6_default_gateway(node);
        if (!gateway) return std::nullopt;
        auto owner = owner_.find(*gateway);
        if (owner == owner_.end()) return std::nullopt;
        Uplink up;
        up.parent = owner->second;
        bool found = false;
        for (const auto& iface : node.interfaces) {
            for (const auto& a : iface.addresses) {
                if (a.address.family != Family::ipv6 || a.address.is_ipv6_link_local()) continue;
                if (a.contains(*gateway)) {
                    up.via = a.address;
                    found = true;
                } else {
                    up.own_subnets.insert(a.network());
                }
            }
        }
        if (!found) return std::nullopt;
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
