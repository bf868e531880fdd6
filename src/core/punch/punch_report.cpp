#include "core/punch/punch_report.hpp"

#include <algorithm>
#include <sstream>

#include "core/nat/ipv6_classes.hpp"
#include "core/probe/probe_target.hpp"
#include "core/util/invalid_input.hpp"
#include "core/util/json.hpp"
#include "core/util/text.hpp"

namespace natlab {
namespace {

std::string endpoints(const std::vector<Endpoint>& list) {
    std::string out;
    for (const auto& e : list) out += (out.empty() ? "" : ", ") + e.str();
    return out.empty() ? "none" : out;
}

// Why X's punches never reached Y, from what was measured: where X's
// packets to Y left from (a new port when X's NAT gave the peer a mapping
// of its own), and what Y had sent to. Y's filtering is named as declared.
std::string why_not(const PunchSide& x, const PunchNat& x_nat, const PunchSide& y,
                    const PunchNat& y_nat) {
    for (const PunchNat* nat : {&x_nat, &y_nat})
        if (!nat->blocks_udp.empty()) return nat->node + " " + nat->blocks_udp;
    if (!x.public_seen || !y.public_seen) return "the rendezvous never heard from both peers";
    std::string why;
    if (x.mapped_toward_peer && *x.mapped_toward_peer != *x.public_seen) {
        why = x_nat.node + " gave " + x.host + "'s packets to " + y.host +
              " a mapping of their own: " + "they left from " + x.mapped_toward_peer->str() +
              ", not from " + x.public_seen->str() + " that the rendezvous saw and told " + y.host +
              "; ";
    }
    const std::string filtering =
        std::string("declared ") + name_of(y_nat.behaviour.filtering) + " filtering";
    if (y_nat.behaviour.filtering == Dependence::endpoint_independent) {
        return why + "nothing arrived through " + y_nat.node + " (" + filtering +
               ": anyone may reach a mapping): watch it with 'natlab watch' to see where the "
               "packets went";
    }
    if (y.mapped_toward_peer && *y.mapped_toward_peer != *y.public_seen) {
        return why + x.host + "'s packets went to " + y.public_seen->str() + ", the mapping " +
               y_nat.node + " opened for the rendezvous (" + y.host + "'s own packets to " +
               x.host + " left from " + y.mapped_toward_peer->str() + "), which has sent to no " +
               "one else (" + filtering + ")";
    }
    return why + y_nat.node + " let none of them in; " + y.host + " had sent to " +
           endpoints(y.sent_to) + " (" + filtering + ")";
}

std::string direction(const PunchSide& x, const PunchSide& y, bool through,
                      const std::string& why) {
    std::string line = "  " + x.host + " -> " + y.host + ": ";
    if (!through) return line + "nothing arrived: " + why + "\n";
    line += std::to_string(y.received) + " packets arrived, from " + endpoints(y.heard_from);
    if (x.public_seen &&
        std::find(y.heard_from.begin(), y.heard_from.end(), *x.public_seen) == y.heard_from.end())
        line += " (not the endpoint the rendezvous saw: " + x.public_seen->str() + ")";
    return line + "\n";
}

nlohmann::json side_json(const PunchSide& s, const PunchNat& nat) {
    return {{"host", s.host},
            {"nat", nat.node},
            {"nat_type", nat.type},
            {"local", s.local.str()},
            {"public", or_null(s.public_seen)},
            {"mapped_toward_peer", or_null(s.mapped_toward_peer)},
            {"received", s.received},
            {"heard_from", s.heard_from}};
}

// An allow list without UDP lets no punch out (one with UDP ports still
// blocks the peers' random ones).
std::string udp_blocked(const NatBehaviour& b) {
    if (!b.allowed_outbound) return "";
    std::vector<std::string> ports;
    for (const auto& p : *b.allowed_outbound)
        ports.push_back(std::string(name_of(p.protocol)) + "/" + std::to_string(p.port));
    return "lets only " + (ports.empty() ? std::string("nothing") : join(ports, ", ")) +
           " out (allow-outbound): no UDP to punch with";
}

}  // namespace

PunchNat punch_nat(const Lab& lab, const std::string& host, Family family) {
    const LabNode& nat = *lab.find_node(probe_target(lab, host, "", family).nat);
    if (family == Family::ipv4) {
        const NatBehaviour& b = nat.nat->behaviour;
        return {nat.name, behaviour_name(b), b.mf, b.firewall, udp_blocked(b)};
    }
    if (!nat.nat->ipv6) {
        throw InvalidInput("natlab punch: " + quote(host) + "'s IPv6 default route leads to " +
                           quote(nat.name) +
                           ", which has no IPv6 side (no IPv6 address on its outside "
                           "interface); punch without --ipv6");
    }
    const NatBehaviour b = ipv6_effective_behaviour(*nat.nat->ipv6);
    return {nat.name, ipv6_side_name(*nat.nat->ipv6), b.mf, b.firewall, udp_blocked(b)};
}

namespace {

PunchModel model_of(const PunchNat& nat) {
    return {nat.behaviour, nat.firewall, nat.blocks_udp.empty()};
}

}  // namespace

PunchReport judge_punch(const PunchOutcome& o, const PunchNat& nat_a, const PunchNat& nat_b) {
    PunchReport r;
    r.a_to_b = o.b.received > 0;
    r.b_to_a = o.a.received > 0;
    r.expected = punch_expectation(model_of(nat_a), model_of(nat_b));
    if (!r.a_to_b) r.why_not_a_to_b = why_not(o.a, nat_a, o.b, nat_b);
    if (!r.b_to_a) r.why_not_b_to_a = why_not(o.b, nat_b, o.a, nat_a);
    return r;
}

std::string render_punch(const PunchOutcome& o, const PunchNat& nat_a, const PunchNat& nat_b,
                         const PunchReport& r) {
    std::ostringstream out;
    out << "punch " << o.a.host << " <-> " << o.b.host << ", rendezvous on " << o.rendezvous_node
        << " at " << o.rendezvous.str() << "\n";
    for (const auto* pair : {&o.a, &o.b}) {
        const PunchNat& nat = pair == &o.a ? nat_a : nat_b;
        out << "  " << pair->host << " " << pair->local.str() << " behind " << nat.node << " ("
            << nat.type << "): the rendezvous saw "
            << (pair->public_seen ? pair->public_seen->str() : "nothing") << "\n";
    }
    out << direction(o.a, o.b, r.a_to_b, r.why_not_a_to_b)
        << direction(o.b, o.a, r.b_to_a, r.why_not_b_to_a);
    out << "result: " << (r.works() ? "direct connection both ways" : "no direct connection");
    if (r.expected == PunchExpectation::race) {
        out << " (theory: a race for " << nat_a.type << " and " << nat_b.type
            << ", which first packet reaches the other NAT first decides)\n";
    } else if (r.agrees()) {
        out << " (as theory says)\n";
    } else {
        out << " -- theory says "
            << (r.expected == PunchExpectation::works ? "a direct connection"
                                                      : "no direct connection")
            << " for " << nat_a.type << " and " << nat_b.type << ": this disagrees\n";
    }
    return out.str();
}

nlohmann::json punch_json(const PunchOutcome& o, const PunchNat& nat_a, const PunchNat& nat_b,
                          const PunchReport& r) {
    return {{"rendezvous", {{"node", o.rendezvous_node}, {"endpoint", o.rendezvous.str()}}},
            {"a", side_json(o.a, nat_a)},
            {"b", side_json(o.b, nat_b)},
            {"a_to_b", r.a_to_b},
            {"b_to_a", r.b_to_a},
            {"why_not_a_to_b", r.why_not_a_to_b},
            {"why_not_b_to_a", r.why_not_b_to_a},
            {"works", r.works()},
            {"expected", r.expected == PunchExpectation::race
                             ? nlohmann::json(nullptr)
                             : nlohmann::json(r.expected == PunchExpectation::works)},
            {"theory", name_of(r.expected)}};
}

}  // namespace natlab
