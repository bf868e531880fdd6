#include "core/nat/render_ipv6.hpp"

#include "core/nat/render_isolation.hpp"
#include "core/nat/render_nft.hpp"

namespace natlab {

namespace {

std::string quoted(const std::string& s) {
    return "\"" + s + "\"";
}

std::string rule(const std::string& body, const std::string& comment) {
    return "\t\t" + body + " comment " + quoted(comment) + "\n";
}

std::string chain(const char* name, const char* hook, const std::string& rules) {
    return "\tchain " + std::string(name) + " {\n\t\t" + hook + "\n" + rules + "\t}\n";
}

constexpr const char* kPrerouting = "type nat hook prerouting priority dstnat; policy accept;";
constexpr const char* kPostrouting = "type nat hook postrouting priority srcnat; policy accept;";

// Room for every port of both protocols on many inside addresses.
constexpr int kSetSize = 2 * 65536;

// A CE router's stateful filter (RFC 6092): what the inside sends goes out,
// what answers it within the filter state comes back, nothing else opens a
// flow from outside. Unsolicited packets meet the drop in a nat chain, which
// sees only a flow's first packet: dropped there, conntrack keeps nothing,
// and established flows cost no lookup.
class FirewallWriter {
  public:
    FirewallWriter(const NatNode& nat, const Ipv6Side& side)
        : side_(side), b_(side.behaviour), out_(quoted(nat.outside)) {}

    std::string render() const {
        std::string text = "table ip6 " + std::string(kNatTable) + " {\n";
        if (learns()) text += sets();
        text += chain("prerouting", kPrerouting, prerouting());
        text +=
            chain("forward", "type filter hook forward priority filter; policy accept;", forward());
        if (learns())
            text +=
                chain("learn", "type filter hook postrouting priority srcnat + 1; policy accept;",
                      learn());
        return text + "}\n";
    }

    std::string reset() const {
        if (!learns()) return "";
        std::string text = "flush set ip6 " + std::string(kNatTable) + " fresh\n";
        text += "flush set ip6 " + std::string(kNatTable) + " " + store_name() + "\n";
        return text;
    }

  private:
    const Ipv6Side& side_;
    const NatBehaviour& b_;
    std::string out_;

    Dependence filtering() const { return b_.mf.filtering; }
    // Address-and-port-dependent filtering is conntrack's own: only replies
    // from exactly the remote endpoint come in, so nothing is learnt.
    bool learns() const { return filtering() != Dependence::address_and_port_dependent; }
    const char* store_name() const {
        return filtering() == Dependence::endpoint_independent ? "open" : "peers";
    }

    std::string sets() const {
        const bool eif = filtering() == Dependence::endpoint_independent;
        const std::string type = eif ? "inet_proto . ipv6_addr . inet_service"
                                     : "inet_proto . ipv6_addr . inet_service . ipv6_addr";
        const std::string why = eif ? "inside endpoints that have sent out: anyone may answer"
                                    : "inside endpoints and the remote addresses they sent to";
        return "\tset " + std::string(store_name()) + " { type " + type + "; size " +
               std::to_string(kSetSize) + "; flags dynamic,timeout; timeout " +
               std::to_string(b_.udp_established_timeout) + "s; comment " + quoted(why) + "; }\n" +
               "\tset fresh { type inet_proto . ipv6_addr . inet_service . ipv6_addr . " +
               "inet_service; size " + std::to_string(kSetSize) +
               "; flags dynamic,timeout; timeout " + std::to_string(kRefreshEveryMs) +
               "ms; comment \"flows whose filter state was refreshed just now\"; }\n";
    }

    std::string prerouting() const {
        const std::string in = "iifname " + out_;
        std::string rules;
        switch (filtering()) {
            case Dependence::endpoint_independent:
                rules += rule(in + " meta l4proto . ip6 daddr . th dport @open accept",
                              "filtering endpoint-independent (RFC 6092 REC-11, REC-33): anyone "
                              "may reach an inside endpoint that has sent out");
                break;
            case Dependence::address_dependent:
                rules += rule(in + " meta l4proto . ip6 daddr . th dport . ip6 saddr @peers accept",
                              "filtering address-dependent: an address the inside endpoint has "
                              "sent to may reach it from any port");
                break;
            case Dependence::address_and_port_dependent:
                break;  // conntrack lets in replies from exactly the remote endpoint
        }
        rules += rule(in + " meta l4proto { tcp, udp } fib daddr type != local drop",
                      "filtering: nothing else from outside opens a flow to the inside");
        if (side_.echo_allowed)
            rules += rule(in + " icmpv6 type echo-request accept",
                          "echo requests reach inside hosts (RFC 4890 section 4.3.1)");
        return rules + rule(in + " fib daddr type != local drop",
                            "filtering: no other protocol passes unasked either");
    }

    // Packets conntrack cannot place (an ICMPv6 error quoting no flow of
    // the inside) are not forwarded in (RFC 6092 section 3.2.1); neighbour discovery
    // is the node's own and never forwarded, so it is not touched.
    std::string forward() const {
        std::string rules = rule("iifname " + out_ + " ct state invalid drop",
                                 "ICMPv6 errors and packets that belong to no flow stay out");
        if (!b_.allowed_outbound) return rules;
        return rules + allowed_outbound_rules(out_, *b_.allowed_outbound, "ICMPv6");
    }

    // What the inside sends refreshes the filter state for as long as the
    // IPv4 bindings live (udp-timeout), at most once in kRefreshEveryMs.
    std::string learn() const {
        const std::string fresh = "meta l4proto . ip6 saddr . th sport . ip6 daddr . th dport";
        const std::string key = filtering() == Dependence::endpoint_independent
                                    ? "meta l4proto . ip6 saddr . th sport"
                                    : "meta l4proto . ip6 saddr . th sport . ip6 daddr";
        const std::string outbound =
            "oifname " + out_ + " meta l4proto { tcp, udp } ct direction original";
        auto refresh = [&](int seconds) {
            return " update @fresh { " + fresh + " } update @" + store_name() + " { " + key +
                   " timeout " + std::to_string(seconds * 1000 + kRefreshEveryMs) + "ms }";
        };
        return rule("ct status confirmed " + fresh + " @fresh accept",
                    "learn: a flow refreshed in the last " + std::to_string(kRefreshEveryMs) +
                        " ms passes") +
               rule(outbound + " ct status assured" + refresh(b_.udp_established_timeout),
                    "learn: a stream's outbound packets keep it open for udp-timeout "
                    "established") +
               rule(outbound + " ct status ! assured" + refresh(b_.udp_unreplied_timeout),
                    "learn: other outbound packets keep it open for udp-timeout unreplied");
    }
};

// RFC 6296's aim with the kernel's prefix NAT: each inside address has one
// outside address, the interface identifier kept, reachable both ways.
std::string nptv6(const NatNode& nat, const Ipv6Side& side) {
    const std::string in = side.inside_prefix->str(), out = side.outside_prefix->str();
    const std::string wan = quoted(nat.outside);
    return "table ip6 " + std::string(kNatTable) + " {\n" +
           chain("prerouting", kPrerouting,
                 rule("iifname " + wan + " ip6 daddr " + out + " dnat ip6 prefix to " + in,
                      "nptv6: the outside prefix stands for the inside one, both ways")) +
           chain("postrouting", kPostrouting,
                 rule("oifname " + wan + " ip6 saddr " + in + " snat ip6 prefix to " + out,
                      "nptv6: inside addresses leave with the outside prefix, the interface "
                      "identifier kept")) +
           "}\n";
}

}  // namespace

NatNode nat66_view(const NatNode& nat) {
    const Ipv6Side& side = *nat.ipv6;
    // No inside interfaces: the node's own table holds the isolating chain.
    return NatNode{nat.outside,
                   side.external_address,
                   side.inside_networks,
                   side.behaviour,
                   std::nullopt,
                   std::nullopt,
                   {},
                   {}};
}

namespace {

std::string mode_rules(const NatNode& nat) {
    if (!nat.ipv6->has_rules()) return "";
    const Ipv6Side& side = *nat.ipv6;
    switch (side.mode) {
        case Ipv6Mode::firewall:
            return FirewallWriter(nat, side).render();
        case Ipv6Mode::nat66:
            return render_nat_rules(nat66_view(nat));
        case Ipv6Mode::nptv6:
            return nptv6(nat, side);
        case Ipv6Mode::routed:
            break;
    }
    return "";
}

}  // namespace

std::string render_ipv6_rules(const NatNode& nat) {
    if (!nat.ipv6) return "";
    std::string rules = mode_rules(nat);
    if (nat.ipv6->inside_networks.empty()) return rules;
    return with_inside_isolation(nat, "ip6", std::move(rules));
}

std::string render_nat_tables(const NatNode& nat) {
    return render_nat_rules(nat) + render_ipv6_rules(nat);
}

std::string render_ipv6_reset(const NatNode& nat) {
    if (!nat.ipv6 || !nat.ipv6->has_rules()) return "";
    const Ipv6Side& side = *nat.ipv6;
    if (side.mode == Ipv6Mode::firewall) return FirewallWriter(nat, side).reset();
    if (side.mode == Ipv6Mode::nat66) return render_nat_reset(nat66_view(nat));
    return "";
}

}  // namespace natlab
