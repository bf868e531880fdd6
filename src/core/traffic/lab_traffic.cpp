#include "core/traffic/lab_traffic.hpp"

#include <algorithm>
#include <cstdio>
#include <map>
#include <optional>
#include <set>
#include <tuple>

#include "core/conntrack/describe_flow.hpp"
#include "core/conntrack/peer_names.hpp"
#include "core/util/text.hpp"

namespace natlab {
namespace {

// One flow at one NAT, turned inside out: the inside endpoint, the public
// endpoint the NAT gave it, and the remote endpoint, whichever side began.
struct Leg {
    std::string nat, protocol;
    Endpoint inside, self, remote;
    FlowCount inside_sent, inside_received;
};

FlowCount& operator+=(FlowCount& a, const FlowCount& b) {
    a.packets += b.packets;
    a.bytes += b.bytes;
    return a;
}

bool on(const std::vector<Cidr>& networks, const IpAddress& ip) {
    return std::any_of(networks.begin(), networks.end(),
                       [&](const Cidr& n) { return n.contains(ip); });
}

std::optional<Leg> leg_of(const std::string& nat, const NatNode& n, const ConntrackFlow& f) {
    // Both families: an IPv6 side's inside networks are the node's own too.
    std::vector<Cidr> inside = n.inside_networks;
    if (n.ipv6)
        inside.insert(inside.end(), n.ipv6->inside_networks.begin(), n.ipv6->inside_networks.end());
    if (on(inside, f.original.src.ip) && !on(inside, f.original.dst.ip))  // began inside
        return Leg{nat,    f.protocol, f.original.src, f.reply.dst, f.original.dst,
                   f.sent, f.answered};
    if (on(inside, f.reply.src.ip) && !on(inside, f.original.src.ip))  // let in from outside
        return Leg{nat,        f.protocol, f.reply.src, f.original.dst, f.original.src,
                   f.answered, f.sent};
    return std::nullopt;  // the NAT's own traffic, or between its inside networks
}

class Analysis {
  public:
    Analysis(const Lab& lab, const std::vector<NatFlows>& nats)
        : lab_(lab), owner_(address_book(lab)) {
        for (const auto& n : nats) {
            const LabNode* node = lab.find_node(n.nat);
            if (!node || !node->nat) continue;
            names_.emplace(n.nat, PeerNames(lab, n.nat));
            for (const auto& f : n.flows)
                if (auto leg = leg_of(n.nat, *node->nat, f)) legs_.push_back(*leg);
        }
        // Lookups by endpoints instead of scans: a busy lab's NATs track
        // thousands of flows, and each leg looks for its partners.
        for (std::size_t i = 0; i < legs_.size(); ++i) {
            const Leg& leg = legs_[i];
            // An untranslated leg (an IPv6 firewall's: its inside endpoint is
            // its public one) hides no inner NAT's leg behind it.
            if (leg.inside != leg.self) outer_.insert({leg.inside, leg.remote, leg.protocol});
            by_public_.emplace(Flow{leg.self, leg.remote, leg.protocol}, i);
            by_nat_.emplace(std::tuple{leg.nat, leg.self, leg.remote}, i);
        }
    }

    TrafficReport run() {
        TrafficReport report;
        std::set<std::size_t> paired;
        for (std::size_t i = 0; i < legs_.size(); ++i) {
            if (is_inner(legs_[i]) || paired.count(i)) continue;
            std::optional<std::size_t> other = matching(i);
            if (other) paired.insert(*other);
            report.talks.push_back(talk(legs_[i], other ? &legs_[*other] : nullptr));
        }
        report.pairs = pairs(report.talks);
        return report;
    }

  private:
    const Lab& lab_;
    AddressBook owner_;
    std::map<std::string, PeerNames> names_;  // by NAT
    std::vector<Leg> legs_;
    using Flow = std::tuple<Endpoint, Endpoint, std::string>;  // two endpoints and the protocol
    std::set<Flow> outer_;                                     // each leg's inside, remote
    std::multimap<Flow, std::size_t> by_public_;               // each leg's self, remote
    std::multimap<std::tuple<std::string, Endpoint, Endpoint>, std::size_t>
        by_nat_;  // nat, self, remote

    std::string owner(const IpAddress& ip) const {
        auto it = owner_.find(ip);
        return it == owner_.end() ? "" : it->second;
    }
    bool is_nat(const std::string& node) const {
        const LabNode* n = lab_.find_node(node);
        return n && n->nat;
    }

    // A leg of an inner NAT (a home router behind a carrier's NAT): the
    // outer NAT's leg of the same flow carries the public endpoints.
    bool is_inner(const Leg& leg) const {
        return outer_.count({leg.self, leg.remote, leg.protocol}) > 0;
    }

    // The host at the inside end, through nested NATs. Named as the NAT that
    // saw the flow sees it: two sites may reuse one private network.
    std::string host_of(const Leg& leg, int depth = 0) const {
        std::string node = names_.at(leg.nat).inside_node(leg.inside.ip).value_or("");
        if (!is_nat(node) || depth > 8) return node;
        auto [first, last] = by_nat_.equal_range({node, leg.inside, leg.remote});
        return first == last ? node : host_of(legs_[first->second], depth + 1);
    }

    // The same flow at the peer's NAT: its public endpoint and remote swapped.
    std::optional<std::size_t> matching(std::size_t i) const {
        const Leg& leg = legs_[i];
        auto [first, last] = by_public_.equal_range({leg.remote, leg.self, leg.protocol});
        for (auto it = first; it != last; ++it)  // in the order of the legs
            if (it->second != i && !is_inner(legs_[it->second])) return it->second;
        return std::nullopt;
    }

    Talk talk(const Leg& leg, const Leg* other) const {
        Talk t;
        t.protocol = leg.protocol;
        t.host = host_of(leg);
        t.host_public = leg.self;
        t.peer_public = leg.remote;
        t.host_sent = leg.inside_sent;
        t.peer_sent = leg.inside_received;
        if (other) {
            t.peer = host_of(*other);
            t.reached_peer = other->inside_received;
            t.peer_words = t.peer + " via " + other->nat;
            t.direct = true;
            return t;
        }
        std::string node = owner(leg.remote.ip);
        if (is_nat(node)) {  // sent toward a NAT that let nothing in (yet)
            t.peer_words = names_.at(leg.nat).remote(leg.remote.ip).name;
            if (t.peer_words.empty()) t.peer_words = node;
            t.direct = true;
            return t;
        }
        t.peer = node;
        t.peer_words = node.empty() ? leg.remote.ip.str() : node;
        return t;
    }

    std::vector<PairTraffic> pairs(const std::vector<Talk>& talks) const {
        std::map<std::pair<std::string, std::string>, PairTraffic> out;
        auto pair_of = [&](const std::string& x, const std::string& y) -> PairTraffic& {
            auto key = std::minmax(x, y);
            PairTraffic& p = out[{key.first, key.second}];
            p.a = key.first;
            p.b = key.second;
            return p;
        };
        std::map<std::string, std::map<std::string, FlowCount>> via;  // node -> host -> count
        for (const auto& t : talks) {
            if (t.host.empty() || t.peer.empty()) continue;
            if (t.direct) {
                PairTraffic& p = pair_of(t.host, t.peer);
                (t.host == p.a ? p.a_to_b : p.b_to_a) += t.reached_peer;
                (t.host == p.a ? p.b_to_a : p.a_to_b) += t.peer_sent;
                continue;
            }
            FlowCount& leg = via[t.peer][t.host];
            leg += t.host_sent;
            leg += t.peer_sent;
        }
        for (const auto& [node, hosts] : via)
            for (auto x = hosts.begin(); x != hosts.end(); ++x)
                for (auto y = std::next(x); y != hosts.end(); ++y) {
                    FlowCount& both = pair_of(x->first, y->first).through[node];
                    both += x->second;
                    both += y->second;
                }
        std::vector<PairTraffic> list;
        for (auto& [key, p] : out) list.push_back(p);
        return list;
    }
};

std::string count_words(const FlowCount& c) {
    return std::to_string(c.packets) + " packet" + (c.packets == 1 ? "" : "s") + ", " +
           byte_words(c.bytes);
}

}  // namespace

std::string PairTraffic::verdict() const {
    if (a_to_b.packets && b_to_a.packets) return "direct";
    if (a_to_b.packets || b_to_a.packets) return "direct one way only";
    std::vector<std::string> nodes;
    for (const auto& [node, count] : through) nodes.push_back(node);
    if (nodes.empty()) return "nothing";
    std::string last = nodes.back();
    nodes.pop_back();
    return "through " + (nodes.empty() ? last : join(nodes, ", ") + " and " + last);
}

std::string byte_words(std::uint64_t bytes) {
    if (bytes < 1024) return std::to_string(bytes) + " B";
    const char* units[] = {"KB", "MB", "GB", "TB"};
    double value = static_cast<double>(bytes) / 1024;
    int unit = 0;
    while (value >= 1024 && unit < 3) {
        value /= 1024;
        ++unit;
    }
    char text[32];
    std::snprintf(text, sizeof text, "%.1f %s", value, units[unit]);
    return text;
}

TrafficReport lab_traffic(const Lab& lab, const std::vector<NatFlows>& nats) {
    return Analysis(lab, nats).run();
}

std::string render_traffic(const TrafficReport& report) {
    std::string text;
    if (report.pairs.empty())
        text += "pairs of hosts: none (no two hosts have talked lately)\n";
    else
        text += "pairs of hosts:\n";
    for (const auto& p : report.pairs) {
        text += "  " + p.a + " <-> " + p.b + ": " + p.verdict() + "\n";
        if (p.a_to_b.packets || p.b_to_a.packets)
            text += "      direct, as delivered: " + p.a + " -> " + p.b + " " +
                    count_words(p.a_to_b) + "; " + p.b + " -> " + p.a + " " +
                    count_words(p.b_to_a) + "\n";
        for (const auto& [node, count] : p.through)
            text += "      through " + node + ": " + count_words(count) + " (both legs)\n";
    }
    text += report.talks.empty() ? "flows: none tracked\n" : "flows the NATs track:\n";
    for (const auto& t : report.talks)
        text += "  " + t.protocol + " " + (t.host.empty() ? std::string("?") : t.host) + " " +
                t.host_public.str() + " <-> " + t.peer_words + " " + t.peer_public.str() + ": " +
                count_words(t.host_sent) + " out, " + count_words(t.peer_sent) + " back" +
                (t.direct ? " (direct)" : "") + "\n";
    return text;
}

nlohmann::json traffic_json(const TrafficReport& report) {
    auto count = [](const FlowCount& c) {
        return nlohmann::json{{"packets", c.packets}, {"bytes", c.bytes}};
    };
    nlohmann::json pairs = nlohmann::json::array(), talks = nlohmann::json::array();
    for (const auto& p : report.pairs) {
        nlohmann::json through = nlohmann::json::object();
        for (const auto& [node, c] : p.through) through[node] = count(c);
        pairs.push_back({{"a", p.a},
                         {"b", p.b},
                         {"verdict", p.verdict()},
                         {"direct", {{"a_to_b", count(p.a_to_b)}, {"b_to_a", count(p.b_to_a)}}},
                         {"through", through}});
    }
    for (const auto& t : report.talks)
        talks.push_back({{"protocol", t.protocol},
                         {"host", t.host},
                         {"host_public", t.host_public.str()},
                         {"peer", t.peer},
                         {"peer_words", t.peer_words},
                         {"peer_public", t.peer_public.str()},
                         {"direct", t.direct},
                         {"sent", count(t.host_sent)},
                         {"received", count(t.peer_sent)}});
    return {{"pairs", pairs}, {"flows", talks}};
}

}  // namespace natlab
