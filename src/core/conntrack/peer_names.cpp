#include "core/conntrack/peer_names.hpp"

#include <deque>

#include "core/nat/nat_outsides.hpp"

namespace natlab {
namespace {

struct LinkEnd {
    std::string interface, peer, peer_interface;
};
using Adjacency = std::map<std::string, std::vector<LinkEnd>>;

Adjacency adjacency(const Lab& lab) {
    Adjacency adj;
    for (const auto& l : lab.links) {
        adj[l.node_a].push_back({l.interface_a, l.node_b, l.interface_b});
        adj[l.node_b].push_back({l.interface_b, l.node_a, l.interface_a});
    }
    return adj;
}

const std::vector<LinkEnd>& ends_of(const Adjacency& adj, const std::string& node) {
    static const std::vector<LinkEnd> none;
    auto it = adj.find(node);
    return it == adj.end() ? none : it->second;
}

// Every node on the inside of `nat`. A NAT met from its outside is nested
// (its inside is behind `nat` too); one met from an inside interface has its
// own way out, which is not behind `nat`.
std::set<std::string> nodes_behind(const Adjacency& adj,
                                   const std::map<std::string, std::set<std::string>>& outside_of,
                                   const std::string& nat) {
    enum { none, inside_only, all };
    std::map<std::string, int> state;
    std::deque<std::pair<std::string, int>> queue;
    auto is_nat = [&](const std::string& node) { return outside_of.count(node) != 0; };
    auto outside = [&](const std::string& node, const std::string& ifname) {
        auto it = outside_of.find(node);
        return it != outside_of.end() && it->second.count(ifname) != 0;
    };
    auto visit = [&](const std::string& node, const std::string& via_interface) {
        if (node == nat) return;
        int want = is_nat(node) && !outside(node, via_interface) ? inside_only : all;
        int& s = state[node];
        if (s >= want) return;
        s = want;
        queue.emplace_back(node, want);
    };
    for (const auto& e : ends_of(adj, nat))
        if (!outside(nat, e.interface)) visit(e.peer, e.peer_interface);
    while (!queue.empty()) {
        auto [node, s] = queue.front();
        queue.pop_front();
        for (const auto& e : ends_of(adj, node))
            if (s == all || !outside(node, e.interface)) visit(e.peer, e.peer_interface);
    }
    std::set<std::string> out;
    for (const auto& [node, s] : state)
        if (s != none) out.insert(node);
    return out;
}

// "hb", "ha or hb", "ha, hb or hc", "one of 4 hosts": who may be behind a
// NAT's external address.
std::string host_words(const std::vector<std::string>& hosts) {
    if (hosts.size() > 3) return "one of " + std::to_string(hosts.size()) + " hosts";
    std::string out;
    for (std::size_t i = 0; i < hosts.size(); ++i)
        out += (i == 0 ? "" : i + 1 == hosts.size() ? " or " : ", ") + hosts[i];
    return out;
}

}  // namespace

PeerNames::PeerNames(const Lab& lab, const std::string& nat) : nat_(nat) {
    for (const auto& node : lab.nodes)
        if (node.nat)
            for (const auto& o : nat_outsides(*node.nat))
                outside_of_[node.name].insert(o.interface);
    Adjacency adj = adjacency(lab);
    for (const auto& node : lab.nodes) {
        for (const auto& iface : node.interfaces)
            for (const auto& a : iface.addresses)
                owners_.emplace(a.address, Owner{node.name, iface.name});
        if (!node.nat) continue;
        NatSide& side = nats_[node.name];
        side.behind = nodes_behind(adj, outside_of_, node.name);
        for (const auto& o : nat_outsides(*node.nat))
            if (const auto* out = node.find_interface(o.interface))
                for (const auto& a : out->addresses) side.external.insert(a.address);
        // A pool beyond the outside link's subnet is routed to the NAT: its own all the same.
        for (const auto& a : node.nat->behaviour.pool)
            if (side.external.insert(a).second)
                owners_.emplace(a, Owner{node.name, node.nat->outside});
    }
    for (auto& [name, side] : nats_) {
        const LabNode& node = *lab.find_node(name);
        std::vector<std::string> hosts;
        for (const auto& n : lab.nodes) {
            if (n.kind != NodeKind::host || !side.behind.count(n.name)) continue;
            bool owns_one_to_one = false;
            for (const auto& i : n.interfaces)
                for (const auto& a : i.addresses)
                    owns_one_to_one |= a.address == node.nat->behaviour.one_to_one;
            // A one-to-one NAT's external address is one host's, whoever else is behind.
            if (owns_one_to_one) {
                hosts = {n.name};
                break;
            }
            hosts.push_back(n.name);
        }
        side.host_words = host_words(hosts);
    }

    // What this NAT's outside leads to: everything up to the outside of
    // other NATs, whose insides are private; through a NAT met from its
    // inside (this one is behind it) on to its outside and beyond.
    std::deque<std::string> queue;
    auto visit = [&](const std::string& node, const std::string& via_interface) {
        if (node == nat_) return;
        auto out = outside_of_.find(node);
        Reach want = out != outside_of_.end() && out->second.count(via_interface)
                         ? Reach::outside_only
                         : Reach::all;
        Reach& r = reach_[node];
        if (r >= want) return;
        if (r == Reach::none && want == Reach::outside_only) frontier_.push_back(node);
        r = want;
        if (want == Reach::all) queue.push_back(node);
    };
    for (const auto& e : ends_of(adj, nat_))
        if (outside_of_[nat_].count(e.interface)) visit(e.peer, e.peer_interface);
    while (!queue.empty()) {
        std::string node = queue.front();
        queue.pop_front();
        for (const auto& e : ends_of(adj, node)) visit(e.peer, e.peer_interface);
    }
    std::erase_if(frontier_,
                  [this](const std::string& n) { return reach_[n] != Reach::outside_only; });
}

bool PeerNames::reachable(const Owner& o) const {
    auto it = reach_.find(o.node);
    if (it == reach_.end()) return false;
    return it->second == Reach::all ||
           (it->second == Reach::outside_only && outside_of_.at(o.node).count(o.interface));
}

// Which of several nodes holding one address (sites may reuse private
// networks) the NAT means: lower is likelier.
int PeerNames::rank(const Owner& o) const {
    if (o.node == nat_) return 0;
    if (reachable(o)) return 1;
    if (nats_.at(nat_).behind.count(o.node)) return 2;
    return 3;
}

const PeerNames::Owner* PeerNames::best_owner(const IpAddress& address, bool inside) const {
    const Owner* best = nullptr;
    int best_rank = 0;
    auto [first, last] = owners_.equal_range(address);
    for (auto it = first; it != last; ++it) {
        int r = inside ? (nats_.at(nat_).behind.count(it->second.node) ? 0 : 1) : rank(it->second);
        if (!best || r < best_rank) {
            best = &it->second;
            best_rank = r;
        }
    }
    return best;
}

std::string PeerNames::name_of(const Owner& o, const IpAddress& address) const {
    auto nat = nats_.find(o.node);
    if (o.node == nat_ || nat == nats_.end() || !nat->second.external.count(address)) return o.node;
    if (nat->second.host_words.empty()) return o.node;  // nothing behind it: the NAT itself
    return nat->second.host_words + " via " + o.node;
}

// The nearest NAT, met from its outside, that keeps `o` on its inside.
std::string PeerNames::hiding_nat(const Owner& o) const {
    for (const auto& f : frontier_)
        if (o.node == f || nats_.at(f).behind.count(o.node)) return f;
    return "";
}

PeerName PeerNames::remote(const IpAddress& address) const {
    const Owner* o = best_owner(address, false);
    if (!o) return {};
    PeerName p;
    p.node = o->node;
    p.name = name_of(*o, address);
    auto nat = nats_.find(o->node);
    if (o->node != nat_ && nat != nats_.end() && nat->second.external.count(address))
        p.via = o->node;
    p.reachable = rank(*o) <= 2;
    if (!*p.reachable) p.behind = hiding_nat(*o);
    return p;
}

std::string PeerNames::remote_endpoint(const Endpoint& e) const {
    PeerName p = remote(e.ip);
    if (!p.reachable) return e.str();
    if (*p.reachable) return p.name + " " + e.str();
    std::string why = ": unreachable from " + nat_ + "'s outside)";
    if (p.behind == p.node) return e.str() + " (" + p.node + "'s inside" + why;
    if (!p.behind.empty()) return e.str() + " (" + p.name + ", behind " + p.behind + why;
    return e.str() + " (" + p.name + why;
}

std::optional<std::string> PeerNames::inside_node(const IpAddress& address) const {
    const Owner* o = best_owner(address, true);
    if (!o) return std::nullopt;
    return o->node;
}

std::string PeerNames::inside_endpoint(const Endpoint& e) const {
    auto node = inside_node(e.ip);
    return node ? *node + " " + e.str() : e.str();
}

}  // namespace natlab
