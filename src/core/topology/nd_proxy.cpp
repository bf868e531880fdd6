#include "core/topology/nd_proxy.hpp"

#include <algorithm>
#include <set>

#include "core/topology/node_interface.hpp"
#include "core/util/text.hpp"

namespace natlab {
namespace {

bool forwards(NodeKind kind) {
    return kind == NodeKind::router || kind == NodeKind::nat;
}

// An address behind a node that neighbours on another of its links ask for.
struct Need {
    std::string asked_on;  // the node's interface where neighbours ask
    std::string held_on;   // the node's interface the holder is behind
    InterfaceKey holder;
    Cidr address;
    Cidr prefix;  // the asked-on link's prefix that holds it
    SourcePos pos;
};

class NdProxyCheck {
  public:
    NdProxyCheck(const Topology& topo, const Addressing& addressing, Diagnostics& diag)
        : topo_(topo), addressing_(addressing), diag_(diag) {
        for (const auto& link : topo.links)
            for (const auto& e : link.endpoints) {
                InterfaceKey key{e.node.value, e.interface.value};
                if (endpoints_.emplace(key, &e).second)
                    interfaces_[e.node.value].push_back(e.interface.value);
            }
        for (const auto& [key, cidrs] : addressing.addresses) {
            auto segment = addressing.segment_of.find(key);
            if (segment == addressing.segment_of.end()) continue;
            for (const auto& c : cidrs)
                if (c.address.family == Family::ipv6) ipv6_on_[segment->second].push_back({key, c});
        }
    }

    std::map<std::string, NdProxyPlan> run() {
        std::map<std::string, NdProxyPlan> plans;
        for (const auto& node : topo_.nodes) {
            if (!forwards(node.kind.value)) continue;
            auto needs = needs_of(node.name.value);
            std::set<std::string> declared = check_declared(node, needs);
            report_missing(node, needs, declared);
            report_doubles(node, needs, declared);
            NdProxyPlan plan = plan_of(node.name.value, needs, declared);
            if (!plan.entries.empty()) plans[node.name.value] = std::move(plan);
        }
        return plans;
    }

  private:
    struct Held {
        InterfaceKey holder;
        Cidr address;
    };
    const Topology& topo_;
    const Addressing& addressing_;
    Diagnostics& diag_;
    std::map<InterfaceKey, const EndpointSpec*> endpoints_;
    std::map<std::string, std::vector<std::string>> interfaces_;  // in link order
    std::map<int, std::vector<Held>> ipv6_on_;                    // by segment

    int segment_of(const std::string& node, const std::string& ifname) const {
        return addressing_.segment_of.at({node, ifname});
    }

    // Where an address was written, or its endpoint when it was assigned.
    SourcePos position_of(const InterfaceKey& holder, const IpAddress& address) const {
        const EndpointSpec* e = endpoints_.at(holder);
        for (const auto& a : e->addresses)
            if (a.address == address) return a.pos;
        return e->pos;
    }

    // Every address on one of the node's links that lies in a prefix of
    // another of its links: neighbours there take it to be on their link.
    std::vector<Need> needs_of(const std::string& node) const {
        std::vector<Need> needs;
        auto found = interfaces_.find(node);
        if (found == interfaces_.end()) return needs;
        const auto& mine = found->second;
        // The prefixes on each link, and which of the node's interfaces face them.
        std::map<Cidr, std::vector<std::string>> facing;
        std::set<int> lengths;
        for (const auto& ifname : mine) {
            auto on = ipv6_on_.find(segment_of(node, ifname));
            if (on == ipv6_on_.end()) continue;
            for (const auto& held : on->second) {
                auto& faces = facing[held.address.network()];
                if (std::find(faces.begin(), faces.end(), ifname) == faces.end())
                    faces.push_back(ifname);
                lengths.insert(held.address.prefix);
            }
        }
        if (facing.empty()) return needs;
        for (const auto& held_on : mine) {
            int segment = segment_of(node, held_on);
            auto on = ipv6_on_.find(segment);
            if (on == ipv6_on_.end()) continue;
            for (const auto& held : on->second) {
                // Subnets are prefixes: the ones that hold an address are found
                // by its network at each prefix length the node's links use.
                for (int length : lengths) {
                    auto faces = facing.find(Cidr{held.address.address, length}.network());
                    if (faces == facing.end()) continue;
                    for (const auto& asked_on : faces->second) {
                        if (segment_of(node, asked_on) == segment) continue;
                        needs.push_back({asked_on, held_on, held.holder, held.address, faces->first,
                                         position_of(held.holder, held.address.address)});
                    }
                }
            }
        }
        return needs;
    }

    // The interfaces the node lists, each checked.
    std::set<std::string> check_declared(const NodeSpec& node, const std::vector<Need>& needs) {
        std::set<std::string> declared;
        const std::string& name = node.name.value;
        const auto& mine = interfaces_.count(name) ? interfaces_.at(name) : no_interfaces_;
        for (const auto& ifname : node.nd_proxy) {
            const std::string& i = ifname.value;
            std::string which = "nd-proxy interface " + quote(i) + " of " + quote(name);
            if (!declared.insert(i).second) {
                diag_.error(ifname.pos, which + " is listed twice; list it once");
            } else if (std::find(mine.begin(), mine.end(), i) == mine.end()) {
                diag_.error(ifname.pos,
                            which + " is not on any link" +
                                (closest(i, mine) ? did_you_mean(i, mine)
                                 : mine.empty()   ? "; add a link to it"
                                                  : "; its interfaces: " + join(mine, ", ")));
            } else if (i.find('.') != std::string::npos) {
                diag_.error(ifname.pos, which +
                                            " has a '.' in its name, which its sysctl key "
                                            "(net.ipv6.conf." +
                                            i + ".proxy_ndp) cannot hold; rename the interface");
            } else if (!ipv6_on_.count(segment_of(name, i))) {
                diag_.error(ifname.pos, which +
                                            " has no IPv6 subnet, so no neighbour asks it for "
                                            "an address; give its link an IPv6 'subnet:' or "
                                            "remove " +
                                            quote(i));
            } else if (std::none_of(needs.begin(), needs.end(),
                                    [&](const Need& n) { return n.asked_on == i; })) {
                std::set<Cidr> prefixes;
                for (const auto& held : ipv6_on_.at(segment_of(name, i)))
                    prefixes.insert(held.address.network());
                std::vector<std::string> texts;
                for (const auto& p : prefixes) texts.push_back(p.str());
                diag_.error(ifname.pos,
                            which + " answers for no one: no host on the other links of " +
                                quote(name) + " has an address in " + join(texts, " or ") +
                                "; give them addresses there or remove " + quote(i));
            }
        }
        return declared;
    }

    // One problem for each pair of links that needs an interface not listed,
    // at the first address it concerns; the fix is the whole list.
    void report_missing(const NodeSpec& node, const std::vector<Need>& needs,
                        const std::set<std::string>& declared) {
        const std::string& name = node.name.value;
        std::map<std::pair<std::string, std::string>, const Need*> first;
        std::set<std::string> needed = declared;
        for (const auto& n : needs) {
            if (declared.count(n.asked_on)) continue;
            needed.insert(n.asked_on);
            auto [it, fresh] = first.emplace(std::pair{n.asked_on, n.held_on}, &n);
            if (!fresh && n.pos < it->second->pos) it->second = &n;
        }
        if (first.empty()) return;
        std::vector<std::string> fix;
        for (const auto& d : node.nd_proxy)
            if (std::find(fix.begin(), fix.end(), d.value) == fix.end()) fix.push_back(d.value);
        for (const auto& ifname : interfaces_[name])
            if (needed.count(ifname) && std::find(fix.begin(), fix.end(), ifname) == fix.end())
                fix.push_back(ifname);
        for (const auto& [pair, n] : first) {
            std::string where =
                n->holder.node == name
                    ? ""
                    : " (on the link of " + NodeInterface{name, n->held_on}.str() + ")";
            diag_.error(n->pos,
                        "address " + n->address.str() + " of " +
                            NodeInterface{n->holder.node, n->holder.interface}.str() + where +
                            " is in " + n->prefix.str() + ", the subnet of " +
                            NodeInterface{name, n->asked_on}.str() +
                            ", where neighbours ask for it and no one answers; declare "
                            "'nd-proxy: [" +
                            join(fix, ", ") + "]' on " + quote(name) + " so that " + quote(name) +
                            " answers there for the hosts on its other links, or give the links "
                            "of " +
                            quote(name) + " subnets that do not overlap");
        }
    }

    // An address held on both sides of the node: once it answers for one,
    // neighbours on that side can no longer reach the other.
    void report_doubles(const NodeSpec& node, const std::vector<Need>& needs,
                        const std::set<std::string>& declared) {
        std::set<std::pair<InterfaceKey, InterfaceKey>> told;
        for (const auto& n : needs) {
            if (!declared.count(n.asked_on)) continue;
            const auto& there = ipv6_on_.at(segment_of(node.name.value, n.asked_on));
            for (const auto& held : there) {
                if (held.address.address != n.address.address) continue;
                auto pair = std::minmax(held.holder, n.holder);
                if (!told.insert({pair.first, pair.second}).second) continue;
                diag_.error(n.pos,
                            "address " + n.address.address.str() + " of " +
                                NodeInterface{n.holder.node, n.holder.interface}.str() +
                                " is also the address of " +
                                NodeInterface{held.holder.node, held.holder.interface}.str() +
                                ", on the other side of " + quote(node.name.value) +
                                ", which answers for it there (nd-proxy); give one "
                                "of them another address");
            }
        }
    }

    // The entries of the interfaces listed, and a route to each host behind.
    NdProxyPlan plan_of(const std::string& node, const std::vector<Need>& needs,
                        const std::set<std::string>& declared) const {
        NdProxyPlan plan;
        std::set<std::pair<std::string, IpAddress>> answered;
        std::set<IpAddress> routed;
        for (const auto& n : needs) {
            if (!declared.count(n.asked_on)) continue;
            if (answered.insert({n.asked_on, n.address.address}).second)
                plan.entries.push_back({n.asked_on, n.address.address});
            if (n.holder.node != node && routed.insert(n.address.address).second)
                plan.routes.push_back({Cidr{n.address.address, 128}, std::nullopt, n.held_on});
        }
        return plan;
    }

    const std::vector<std::string> no_interfaces_;
};

}  // namespace

std::map<std::string, NdProxyPlan> check_nd_proxy(const Topology& topo,
                                                  const Addressing& addressing, Diagnostics& diag) {
    return NdProxyCheck(topo, addressing, diag).run();
}

}  // namespace natlab
