#include "core/nat/render_nft.hpp"

#include "core/nat/render_isolation.hpp"

#include <algorithm>
#include <cctype>
#include <set>
#include <sstream>

#include "core/nat/nat_outsides.hpp"
#include "core/nat/port_blocks.hpp"
#include "core/util/text.hpp"

namespace natlab {

namespace {

// The dynamic sets and maps a behaviour needs, keyed as the learn chain fills them.
struct Store {
    const char* kind;  // "map" or "set"
    const char* name;
    const char* type;       // nft's type: key, or key : data
    const char* learn_key;  // what the learn chain writes, after translation
    const char* why;
};

// external port -> inside endpoint: inbound filtering and hairpinning follow it.
constexpr Store kInbound = {
    "map", "inbound", "inet_proto . inet_service : ipv4_addr . inet_service",
    "meta l4proto . th sport : ct original ip saddr . ct original proto-src",
    "external port -> inside endpoint"};
// remote address . external port: who the inside has sent to.
constexpr Store kPeers = {"set", "peers", "inet_proto . ipv4_addr . inet_service",
                          "meta l4proto . ip daddr . th sport",
                          "remote addresses each mapping has sent to"};
// inside endpoint -> external endpoint, kept after the flow is gone.
constexpr Store kEim = {
    "map", "eim", "inet_proto . ipv4_addr . inet_service : ipv4_addr . inet_service",
    "meta l4proto . ct original ip saddr . ct original proto-src : ip saddr . th sport",
    "inside endpoint -> its one external endpoint"};
// inside endpoint . remote address -> external endpoint.
constexpr Store kAdm = {"map", "adm",
                        "inet_proto . ipv4_addr . inet_service . ipv4_addr : "
                        "ipv4_addr . inet_service",
                        "meta l4proto . ct original ip saddr . ct original proto-src . ip daddr : "
                        "ip saddr . th sport",
                        "inside endpoint and remote address -> external endpoint"};
// inside endpoints that already hold a mapping.
constexpr Store kBound = {"set", "bound", "inet_proto . ipv4_addr . inet_service",
                          "meta l4proto . ct original ip saddr . ct original proto-src",
                          "inside endpoints that hold a mapping"};
// external ports in use by some mapping.
constexpr Store kTaken = {"set", "taken", "inet_proto . inet_service", "meta l4proto . th sport",
                          "external ports that are mapped"};
// The ports of a port-range held, as slots (port - first): what the probing
// allocator looks up, since nft cannot compute a port inside a lookup key.
// Learnt by a rule of its own (see learn()).
constexpr Store kSlots = {"set", "slots", "inet_proto . mark", "meta l4proto . meta mark",
                          "slots of the port-range that are mapped"};
// external port . inside endpoint: who holds each mapped port.
constexpr Store kOwners = {"set", "owners", "inet_proto . inet_service . ipv4_addr . inet_service",
                           "meta l4proto . th sport . ct original ip saddr . ct original proto-src",
                           "the inside endpoint that holds each mapped port"};

// A NAT with a pool keys what it holds by external address too: one port
// may serve different inside endpoints on different addresses. @taken keys
// the address by its index in the pool (the packet mark): it is looked up
// before translation, when only that index is known.
constexpr Store kInboundPooled = {
    "map", "inbound", "inet_proto . ipv4_addr . inet_service : ipv4_addr . inet_service",
    "meta l4proto . ip saddr . th sport : ct original ip saddr . ct original proto-src",
    "external endpoint -> inside endpoint"};
constexpr Store kPeersPooled = {"set", "peers", "inet_proto . ipv4_addr . ipv4_addr . inet_service",
                                "meta l4proto . ip daddr . ip saddr . th sport",
                                "remote addresses each mapping has sent to"};
constexpr Store kTakenPooled = {"set", "taken", "inet_proto . mark . inet_service",
                                "meta l4proto . meta mark . th sport",
                                "external ports that are mapped, by pool address"};
constexpr Store kOwnersPooled = {
    "set", "owners", "inet_proto . ipv4_addr . inet_service . ipv4_addr . inet_service",
    "meta l4proto . ip saddr . th sport . ct original ip saddr . ct original proto-src",
    "the inside endpoint that holds each mapped external endpoint"};

// A NAT66 keeps its bindings in maps of IPv6 addresses, written here in
// IPv4 words like the rest (in_ip6_family() turns them). nft 1.0.6 gives a
// dynamic map's data a register inside a key wider than 16 bytes, so an
// update writes the data over the key's address (it aborts outright on
// some). Its maps' keys stay within 16 bytes: the inside endpoint is split
// over two maps where it is the data, and where it is the key it is the
// packet mark holding a hash of it (see kEndpointHash). A NAT66 has one
// external address, so its maps hold ports only.
constexpr Store kInboundWide = {"map", "inbound", "inet_proto . inet_service : ipv4_addr",
                                "meta l4proto . th sport : ct original ip saddr",
                                "external port -> inside address"};
constexpr Store kInboundPortWide = {
    "map", "inbound_port", "inet_proto . inet_service : inet_service",
    "meta l4proto . th sport : ct original proto-src", "external port -> inside port"};
constexpr Store kEimWide = {"map", "eim", "inet_proto . mark : inet_service",
                            "meta l4proto . meta mark : th sport",
                            "hash of the inside endpoint -> its one external port"};
// The inside endpoint's hash, into the packet mark; the same hash of the
// same endpoint read off the packet before translation or off conntrack
// after it. Two endpoints share a hash with a chance of 1 in 2^32 per pair.
constexpr const char* kEndpointHash = " mod 4294967295 seed 0x6e61746c";

// Sets whose elements live as long as conntrack keeps a flow that added
// itself to them (ct count), whatever timeouts refresh the stores above: a
// flow of a stream outlives an unanswered flow's refresh of a shared key, a
// peer's packets keep a flow alive that the inside never refreshes. An
// element goes within about a second of its last flow (the set's GC).
struct FlowSet {
    const char* name;
    const char* type;
    const char* why;
};
// external port -> held while a flow through it lives, either way it opened.
constexpr FlowSet kFlowPorts = {"flow_ports", "inet_proto . inet_service",
                                "external ports that live flows use"};
// external port . inside endpoint: whose live flows use each port.
constexpr FlowSet kFlowOwners = {"flow_owners",
                                 "inet_proto . inet_service . ipv4_addr . inet_service",
                                 "the inside endpoint of each live flow's external port"};
constexpr FlowSet kFlowPortsPooled = {"flow_ports", "inet_proto . mark . inet_service",
                                      "external ports that live flows use, by pool address"};
constexpr FlowSet kFlowOwnersPooled = {
    "flow_owners", "inet_proto . mark . inet_service . ipv4_addr . inet_service",
    "the inside endpoint of each live flow's external port, by pool address"};

// Room for every port of both protocols (a dynamic set holds 65535 at most
// unless told, and an update that finds it full is lost without a word).
constexpr int kStoreSize = 2 * 65536;

// A random port of a port-range is tried this many times before the flow is
// given one blind (and refused if another endpoint holds it): with 3 ports
// in 4 held, 1 flow in 100 is refused where 3 in 4 were.
constexpr int kProbes = 16;
// Larger ranges are not probed: their two maps would cost more to load than
// the collisions they avoid (a range of 4096 adds 0.1 s to create; the
// chance of a collision is the share of the range in use).
constexpr int kLargestProbedRange = 4096;

// A flow's outbound packets refresh its bindings at most once in
// kRefreshEveryMs; the others pass the learn chain after one lookup. Three
// set updates on every packet cost a full cone about a fifth of masquerade's
// packet rate; a fast flow now pays one lookup. Each refresh adds the same
// span to the lifetime, so a binding still lives at least its declared time
// after the flow's last packet, and at most this much longer.
// The flows refreshed within the last kRefreshEveryMs, by their translated
// tuple (a key of plain header fields: cheaper to look up than conntrack's id).
constexpr const char* kFreshSet = "fresh";
constexpr const char* kFreshType =
    "inet_proto . ipv4_addr . inet_service . ipv4_addr . inet_service";
constexpr const char* kFreshKey = "meta l4proto . ip saddr . th sport . ip daddr . th dport";

// New flows given a port that another inside endpoint holds: dropped and counted here.
constexpr const char* kRefusedCounter = "refused";
// The conntrack mark of a flow the rules for new endpoints translated.
constexpr const char* kNewEndpointMark = "0x00000001";

std::string quote_nft(const std::string& s) {
    return "\"" + s + "\"";
}

// One rule of a chain, with the comment `nft list` shows beside it.
std::string rule(const std::string& body, const std::string& comment) {
    return "\t\t" + body + " comment " + quote_nft(comment) + "\n";
}

class RulesetWriter {
  public:
    explicit RulesetWriter(const NatNode& nat)
        : nat_(nat),
          b_(nat.behaviour),
          ext_(nat.external_address.str()),
          out_if_(quote_nft(nat.outside)) {}

    std::string render() {
        if (b_.one_to_one) return one_to_one(*b_.one_to_one);
        std::string text = "table ip " + std::string(kNatTable) + " {\n";
        for (const Store* s : stores())
            text += "\t" + std::string(s->kind) + " " + s->name + " { type " + s->type + "; size " +
                    std::to_string(kStoreSize) + "; flags dynamic,timeout; timeout " +
                    std::to_string(b_.udp_established_timeout) + "s; comment " + quote_nft(s->why) +
                    "; }\n";
        if (probing()) text += slot_maps();
        if (b_.pooled()) text += pool_maps();
        if (b_.port_block) text += block_map();
        for (const FlowSet* f : flow_sets())
            text += "\tset " + std::string(f->name) + " { type " + f->type + "; size " +
                    std::to_string(kStoreSize) + "; flags dynamic; comment " + quote_nft(f->why) +
                    "; }\n";
        if (!stores().empty())
            text += "\tset " + std::string(kFreshSet) + " { type " + kFreshType + "; size " +
                    std::to_string(kStoreSize) + "; flags dynamic,timeout; timeout " +
                    std::to_string(kRefreshEveryMs) +
                    "ms; comment \"flows whose bindings were refreshed just now\"; }\n";
        if (!stores().empty())
            text += "\tcounter " + std::string(kRefusedCounter) + " { comment " +
                    quote_nft(
                        "new flows refused: their external port is another inside "
                        "endpoint's, or every port of the range is taken") +
                    "; }\n";
        text += chain("prerouting", "type nat hook prerouting priority dstnat; policy accept;",
                      prerouting());
        text += chain("postrouting", "type nat hook postrouting priority srcnat; policy accept;",
                      postrouting());
        // Nothing to learn (the kernel's plain masquerade): no chain that
        // only costs a lookup per packet.
        if (!stores().empty()) {
            text +=
                chain("learn", "type filter hook postrouting priority srcnat + 1; policy accept;",
                      learn());
        }
        if (b_.allowed_outbound)
            text += chain("outbound", "type filter hook forward priority filter; policy accept;",
                          outbound());
        if (sequential()) text += "\tchain sequence {\n" + sequence() + "\t}\n";
        if (probing()) text += "\tchain probe {\n" + probe() + "\t}\n";
        return text + "}\n";
    }

    std::vector<const Store*> stores() const {
        if (b_.plain_masquerade() || b_.one_to_one) return {};
        using enum Dependence;
        std::vector<const Store*> out;
        const bool pooled = b_.pooled();
        if (b_.mf.filtering != address_and_port_dependent || b_.hairpinning) {
            if (wide()) {
                out.push_back(&kInboundWide);
                out.push_back(&kInboundPortWide);
            } else {
                out.push_back(pooled ? &kInboundPooled : &kInbound);
            }
        }
        if (b_.mf.filtering == address_dependent) out.push_back(pooled ? &kPeersPooled : &kPeers);
        if (b_.mf.mapping == endpoint_independent) out.push_back(wide() ? &kEimWide : &kEim);
        if (b_.mf.mapping == address_dependent) out.push_back(&kAdm);
        if (b_.mf.mapping == address_dependent ||
            (b_.mf.mapping == address_and_port_dependent && b_.port_preservation()))
            out.push_back(&kBound);
        // Its own set even where @inbound holds the same ports: kernels before
        // about 6.5 (Debian 12's 6.1) refuse a map looked up as a set.
        out.push_back(pooled ? &kTakenPooled : &kTaken);
        // Under endpoint-independent mapping an endpoint holds one port, and
        // a flow given a port by the rules for new endpoints (marked) is the
        // endpoint's first: any holder of that port is another endpoint.
        if (!this->endpoint_independent()) out.push_back(pooled ? &kOwnersPooled : &kOwners);
        if (probing()) out.push_back(&kSlots);
        return out;
    }

    // Whatever learns bindings keeps ports apart, so it also knows whose
    // live flows use each port.
    std::vector<const FlowSet*> flow_sets() const {
        if (stores().empty()) return {};
        if (b_.pooled()) return {&kFlowPortsPooled, &kFlowOwnersPooled};
        return {&kFlowPorts, &kFlowOwners};
    }

  private:
    const NatNode& nat_;
    const NatBehaviour& b_;
    std::string ext_;     // the external address
    std::string out_if_;  // "wan", quoted for nft

    // "!= wan", or with several outsides "!= { "vpn", "wifi" }": the inside.
    std::string not_outside() const {
        if (nat_.further_outsides.empty()) return "!= " + out_if_;
        std::vector<std::string> names{out_if_};
        for (const auto& o : nat_.further_outsides) names.push_back(quote_nft(o.interface));
        return "!= { " + join(names, ", ") + " }";
    }
    // With several outsides, a flow opened toward one outside's address is
    // that outside's alone: the others' rules leave it be.
    std::string came_to_us() const {
        return nat_.further_outsides.empty() ? "" : " ct original ip daddr " + ext_;
    }

    // A static one-to-one NAT: two rules and nothing learnt. conntrack keeps
    // the ports, as nothing else is translated to this address.
    std::string one_to_one(const IpAddress& host) const {
        const std::string h = host.str();
        return "table ip " + std::string(kNatTable) + " {\n" +
               chain("prerouting", "type nat hook prerouting priority dstnat; policy accept;",
                     rule("iifname " + out_if_ + " ip daddr " + ext_ + " dnat ip to " + h,
                          "one-to-one: whatever reaches the external address goes to " + h +
                              ", on the same port")) +
               chain("postrouting", "type nat hook postrouting priority srcnat; policy accept;",
                     rule("oifname " + out_if_ + " ip saddr " + h + " snat ip to " + ext_,
                          "one-to-one: " + h + " leaves from the external address, ports kept") +
                         rule("oifname " + out_if_ + " ip saddr != { " + h + ", " + ext_ +
                                  " } counter drop",
                              "one-to-one: the address is " + h +
                                  "'s alone; other inside hosts have none")) +
               "}\n";
    }
    static std::string chain(const char* name, const char* hook, const std::string& rules) {
        return "\tchain " + std::string(name) + " {\n\t\t" + hook + "\n" + rules + "\t}\n";
    }
    // The address a new mapping is given: the outside interface's (by
    // masquerade), or the pool address the mark names (see pool_choice()).
    std::string masquerade(bool random) const {
        if (b_.port_block)
            return std::string("snat ip to ip saddr map @blocks") + (random ? " fully-random" : "");
        std::string s = b_.pooled() ? "snat ip to meta mark map @pool_address" : "masquerade";
        if (b_.port_range)
            s += std::string(b_.pooled() ? " : " : " to :") + std::to_string(b_.port_range->first) +
                 "-" + std::to_string(b_.port_range->last);
        return random ? s + " fully-random" : s;
    }
    bool sequential() const {
        return b_.allocation == PortAllocation::sequential && !b_.plain_masquerade();
    }
    // A port for an endpoint or flow that cannot keep its inside port.
    std::string fresh_port() const {
        if (sequential()) return new_endpoint_mark() + "goto sequence";
        return new_endpoint_mark() + (probing() ? "goto probe" : masquerade(true));
    }
    // Random ports of a small port-range are chosen by natlab, free ones
    // first (not with a pool: the mark that carries the slot holds the address).
    bool probing() const {
        if (!b_.port_range || b_.plain_masquerade() || sequential() || b_.pooled() || b_.port_block)
            return false;
        PortRange r = *b_.port_range;
        return r.last - r.first + 1 <= kLargestProbedRange;
    }
    int range_size() const {
        PortRange r = b_.allocation_range();
        return r.last - r.first + 1;
    }
    // slot -> port and port -> slot, for every port of the range.
    std::string slot_maps() const {
        PortRange r = b_.allocation_range();
        std::string to_port, to_slot;
        for (int port = r.first; port <= r.last; ++port) {
            std::string slot = std::to_string(port - r.first), p = std::to_string(port);
            const char* comma = port == r.first ? "" : ", ";
            to_port += comma + slot + " : " + p;
            to_slot += comma + p + " : " + slot;
        }
        return "\tmap port_of { type mark : inet_service; comment \"slot -> port of the "
               "port-range\"; elements = { " +
               to_port +
               " } }\n"
               "\tmap slot_of { type inet_service : mark; comment \"port of the port-range -> "
               "slot\"; elements = { " +
               to_slot + " } }\n";
    }
    // A random slot, drawn again while the port is held; the packet mark
    // carries it to the nat statement.
    std::string probe() const {
        const std::string draw = "meta mark set numgen random mod " + std::to_string(range_size());
        std::string rules = rule(draw, "port-allocation random: a port of the range at random");
        for (int i = 1; i < kProbes; ++i)
            rules += rule("meta l4proto . meta mark @slots " + draw,
                          "held by another endpoint: draw again (" + std::to_string(kProbes) +
                              " draws in all)");
        return rules +
               rule("meta l4proto { tcp, udp } snat ip to " + ext_ + " : meta mark map @port_of",
                    "the port drawn last (refused after translation if it is held)");
    }
    // A NAT66 (see kInboundWide).
    bool wide() const { return nat_.external_address.family == Family::ipv6; }
    bool endpoint_independent() const { return b_.mf.mapping == Dependence::endpoint_independent; }
    // Endpoint-independent mapping: what the rules for new endpoints translate
    // is marked, for the check after translation (refuse_overloading).
    std::string new_endpoint_mark() const {
        return endpoint_independent() ? "ct mark set " + std::string(kNewEndpointMark) + " " : "";
    }
    // The port a new endpoint starts with.
    std::string first_port() const {
        return b_.port_preservation() ? new_endpoint_mark() + masquerade(false) : fresh_port();
    }
    std::string first_port_comment() const {
        switch (b_.allocation) {
            case PortAllocation::preserve:
                return "port-allocation preserve: a new endpoint keeps its port when free";
            case PortAllocation::sequential:
                return "port-allocation sequential: a new endpoint gets the next port";
            case PortAllocation::random:
                break;
        }
        return "port-allocation random: a new endpoint gets a random port";
    }
    // Ports handed out in turn: nft's counter through a map to the range
    // (numgen's value would reach the nat statement in host byte order).
    std::string sequence() const {
        PortRange range = b_.allocation_range();
        std::string elements;
        for (int port = range.first; port <= range.last; ++port)
            elements += (port == range.first ? "" : ", ") + std::to_string(port - range.first) +
                        " : " + std::to_string(port);
        return rule("meta l4proto { tcp, udp } snat ip to " + new_address() + " : numgen inc mod " +
                        std::to_string(range.last - range.first + 1) + " map { " + elements + " }",
                    "port-allocation sequential: the port after the last one handed out");
    }

    std::string new_address() const { return b_.pooled() ? "meta mark map @pool_address" : ext_; }

    // index -> pool address, for the nat statements; address -> index, for
    // what is learnt after translation. The outside interface's own address
    // (forwards keep to it) has an index after the pool's when not in it.
    std::string pool_maps() const {
        std::string to_address, to_index;
        std::vector<IpAddress> indexed = b_.pool;
        if (std::find(indexed.begin(), indexed.end(), nat_.external_address) == indexed.end())
            indexed.push_back(nat_.external_address);
        for (std::size_t i = 0; i < indexed.size(); ++i) {
            const char* comma = i == 0 ? "" : ", ";
            if (i < b_.pool.size())
                to_address += comma + std::to_string(i) + " : " + indexed[i].str();
            to_index += comma + indexed[i].str() + " : " + std::to_string(i);
        }
        return "\tmap pool_address { type mark : ipv4_addr; comment \"index -> pool address\"; "
               "elements = { " +
               to_address +
               " } }\n"
               "\tmap pool_index { type ipv4_addr : mark; comment \"pool address -> index\"; "
               "elements = { " +
               to_index + " } }\n";
    }

    // subscriber -> external address . port block (RFC 7422).
    std::string block_map() const {
        std::string elements;
        for (const auto& block : port_blocks(nat_))
            elements += (elements.empty() ? "" : ", ") + block.subscriber.str() + " : " +
                        block.external.str() + " . " + std::to_string(block.ports.first) + "-" +
                        std::to_string(block.ports.last);
        return "\tmap blocks { type ipv4_addr : interval ipv4_addr . inet_service; flags interval; "
               "comment \"subscriber -> external address and port block\"; elements = { " +
               elements +
               " } }\n"
               "\tset exhausted { type ipv4_addr; size 65536; flags dynamic; counter; comment "
               "\"subscribers refused a new mapping: their block is full\"; }\n";
    }

    // Which pool address a new mapping gets, into the packet mark: by a hash
    // of the inside address (paired: one inside address, one external
    // address) or at random for each mapping (arbitrary).
    std::string pool_choice(const std::string& l4) const {
        const std::string n = std::to_string(b_.pool.size());
        if (b_.pooling == Pooling::paired)
            return rule(l4 + " meta mark set jhash ip saddr mod " + n,
                        "pooling paired: an inside address keeps one pool address");
        return rule(l4 + " meta mark set numgen random mod " + n,
                    "pooling arbitrary: each new mapping gets a pool address at random");
    }

    // The external addresses that arrive here: the pool's and the interface's.
    std::string external_addresses() const {
        if (!b_.pooled()) return ext_;
        std::vector<std::string> out;
        for (const auto& a : b_.pool) out.push_back(a.str());
        if (std::find(b_.pool.begin(), b_.pool.end(), nat_.external_address) == b_.pool.end())
            out.push_back(ext_);
        return "{ " + join(out, ", ") + " }";
    }

    // allow-outbound: what a locked-down network lets out; new flows only,
    // so answers and flows already let through pass.
    std::string outbound() const {
        return allowed_outbound_rules(out_if_, *b_.allowed_outbound, "ICMP");
    }

    bool has(const Store& store) const {
        for (const Store* s : stores())
            if (s == &store) return true;
        return false;
    }

    std::string prerouting() const {
        // Even with no rules this chain matters: without a nat hook on
        // prerouting, replies are not translated back to the inside endpoint.
        std::string rules;
        for (const auto& f : b_.forwards) rules += forward_in(f);
        const std::string inbound =
            wide() ? "dnat ip to meta l4proto . th dport map @inbound : meta l4proto . th dport "
                     "map @inbound_port"
                   : std::string("dnat ip to meta l4proto . ") +
                         (b_.pooled() ? "ip daddr . " : "") + "th dport map @inbound";
        const std::string to_us =
            " ip daddr " + external_addresses() + " meta l4proto { tcp, udp }";
        switch (b_.mf.filtering) {
            case Dependence::endpoint_independent:
                rules += rule("iifname " + out_if_ + to_us + " " + inbound,
                              "filtering endpoint-independent: anyone may reach a live mapping");
                break;
            case Dependence::address_dependent:
                rules += rule("iifname " + out_if_ + to_us + " meta l4proto . ip saddr . " +
                                  (b_.pooled() ? "ip daddr . " : "") + "th dport @peers " + inbound,
                              "filtering address-dependent: an address the inside has sent to "
                              "may reach the mapping from any port");
                break;
            case Dependence::address_and_port_dependent:
                break;  // conntrack lets in replies from exactly the remote endpoint
        }
        if (b_.hairpinning)
            rules += rule("iifname " + not_outside() + to_us + " " + inbound,
                          "hairpinning: inside hosts reach each other's mappings");
        if (b_.firewall) rules += unsolicited();
        return rules;
    }

    // A forward's DNAT. A filtered one admits what the NAT's filtering
    // admits: under address-dependent filtering the addresses its target has
    // sent to from the port (its own packets leave from the external port,
    // by the forward's rule in postrouting, so the learn chain puts them in
    // @peers); under address-and-port-dependent filtering only replies,
    // which conntrack lets in without a rule.
    std::string forward_in(const PortForward& f) const {
        if (replies_only(f)) return "";
        std::string match = "iifname " + out_if_ + " ip daddr " + ext_ + " " + name_of(f.protocol) +
                            " dport " + std::to_string(f.external_port);
        std::string comment = "forward: " + f.written;
        if (f.filtered) {
            switch (b_.mf.filtering) {
                case Dependence::endpoint_independent:
                    comment += " (endpoint-independent: anyone)";
                    break;
                case Dependence::address_dependent:
                    match += std::string(" meta l4proto . ip saddr . ") +
                             (b_.pooled() ? "ip daddr . " : "") + "th dport @peers";
                    comment += " (address-dependent: only addresses the target sent to)";
                    break;
                case Dependence::address_and_port_dependent:
                    break;  // replies_only()
            }
        }
        return rule(match + " dnat ip to " + f.target.str() + ":" + std::to_string(f.target_port),
                    comment);
    }

    // A filtered forward that conntrack alone lets answers through: it has
    // no DNAT, only the rule that keeps its target's port.
    bool replies_only(const PortForward& f) const {
        return f.filtered && b_.mf.filtering == Dependence::address_and_port_dependent;
    }

    // This chain sees only the first packet of each flow, so dropping here
    // costs established flows nothing (a filter chain would see every packet).
    std::string unsolicited() const {
        return rule("iifname " + out_if_ + " meta l4proto { tcp, udp } drop",
                    "filtering: nothing else from outside opens a flow, not even to the NAT "
                    "(it could take a port the inside needs)") +
               rule("iifname " + out_if_ + " fib daddr type != local drop",
                    "filtering: no other protocol passes the NAT unasked either");
    }

    std::string postrouting() const {
        std::string rules;
        const std::string out = "oifname " + out_if_;
        const std::string l4 = out + " meta l4proto { tcp, udp }";
        if (!b_.excluded.empty()) {
            std::vector<std::string> nets;
            for (const auto& c : b_.excluded) nets.push_back(c.str());
            rules += rule(out + " ip daddr { " + join(nets, ", ") + " } accept",
                          "exclude: these destinations are reached untranslated");
        }
        if (b_.hairpinning)
            rules += rule("oifname " + not_outside() + " ct status dnat" + came_to_us() +
                              " ip saddr " + inside_set() + " snat ip to " + ext_,
                          "hairpinning: the peer sees the external address, as from outside");
        for (const auto& f : b_.forwards)
            rules += rule(out + " ip saddr " + f.target.str() + " " + name_of(f.protocol) +
                              " sport " + std::to_string(f.target_port) + " snat ip to " + ext_ +
                              ":" + std::to_string(f.external_port),
                          "forward: " + f.written +
                              (replies_only(f) ? " (own packets keep the port; only replies get in)"
                                               : " (its replies and own packets keep the port)"));
        if (b_.pooled() && !b_.port_block) rules += pool_choice(l4);
        rules += mapping_rules(l4);
        if (!b_.forwards.empty())
            rules +=
                rule(l4 + " meta l4proto . th sport { " + forwarded_ports() + " } " + fresh_port(),
                     "forward: forwarded ports are reserved, other endpoints get another");
        if (b_.plain_masquerade() && !b_.port_range) {
            rules += rule(out + " masquerade",
                          "mapping: translate to the outside address "
                          "(the kernel's plain masquerade)");
            return rules;
        }
        rules += rule(l4 + " " + first_port(), first_port_comment());
        rules += rule(out + " masquerade", "mapping: other protocols (ICMP) by conntrack");
        return rules;
    }

    std::string mapping_rules(const std::string& l4) const {
        std::string rules;
        if (has(kEimWide))
            rules += rule(l4 + " meta mark set jhash ip saddr . th sport" + kEndpointHash,
                          "mapping endpoint-independent: the inside endpoint's hash, as @eim "
                          "keys it");
        if (has(kEim) || has(kEimWide))
            rules +=
                rule(l4 + " " +
                         (wide() ? "snat ip to " + ext_ + " : meta l4proto . meta mark map @eim"
                                 : "snat ip to meta l4proto . ip saddr . th sport map @eim"),
                     "mapping endpoint-independent: an endpoint keeps its external port "
                     "for every destination");
        if (has(kAdm))
            rules += rule(l4 + " snat ip to meta l4proto . ip saddr . th sport . ip daddr map @adm",
                          "mapping address-dependent: same remote address, same external port");
        if (has(kBound))
            rules += rule(l4 + " meta l4proto . ip saddr . th sport @bound " + fresh_port(),
                          std::string("mapping ") + name_of(b_.mf.mapping) +
                              ": a further destination gets a new port");
        if (b_.port_preservation() && !b_.plain_masquerade()) {
            rules += rule(l4 + " " + taken_key() + " @taken " + fresh_port(),
                          "no port overloading: the port is another endpoint's mapping");
            rules += rule(l4 + " " + taken_key() + " @" + kFlowPorts.name + " " + taken_key() +
                              " . ip saddr . th sport != @" + kFlowOwners.name + " " + fresh_port(),
                          "no port overloading: live flows of another endpoint use the port");
        }
        return rules;
    }

    // Bindings live as conntrack's UDP flows do: a flow that has carried
    // traffic both ways for over 2 s is a stream ("assured") and lives
    // udp-timeout established; until then, even once answered, it lives
    // udp-timeout unreplied. The sets follow, or a full cone's binding would
    // outlive a port-restricted cone's.
    std::string learn() const {
        std::vector<std::string> names;
        for (const Store* s : stores())
            if (s != &kSlots) names.push_back("@" + std::string(s->name));
        const std::string outbound =
            "oifname " + out_if_ +
            " meta l4proto { tcp, udp } ct direction original ct status snat";
        std::string index =
            b_.pooled() ? rule("oifname " + out_if_ + " meta mark set ip saddr map @pool_index",
                               "pooling: the index of the external address, as @taken keys it")
                        : "";
        if (has(kEimWide))
            index = rule(outbound +
                             " meta mark set jhash ct original ip saddr . ct original "
                             "proto-src" +
                             kEndpointHash,
                         "learn: the inside endpoint's hash, as @eim keys it");
        // First, so a pooled NAT's fast flows skip the index too; never a
        // flow's first packet (unconfirmed), which the check of new flows
        // must see even when a flow just deleted had the same tuple.
        const std::string gate =
            rule("ct status confirmed " + std::string(kFreshKey) + " @" + kFreshSet + " accept",
                 "learn: a flow whose bindings were refreshed in the last " +
                     std::to_string(kRefreshEveryMs) + " ms passes");
        return gate + index + refuse_overloading(outbound) + record_flows(outbound) +
               refresh(outbound + " ct status assured", b_.udp_established_timeout,
                       {"learn: a stream's outbound packets refresh " + join(names, ", "),
                        " for udp-timeout established"}) +
               refresh(
                   outbound + " ct status ! assured", b_.udp_unreplied_timeout,
                   {"learn: other outbound packets refresh them", " for udp-timeout unreplied"}) +
               (probing() ? learn_slots(outbound) : "");
    }

    // Every flow's first packet, once it may pass: its external port and
    // inside endpoint join the flow sets for as long as conntrack keeps it.
    // A flow opened from outside (to a mapping, a forward, or hairpinned)
    // is seen on its way in, after DNAT: the port is its original
    // destination, the endpoint its new one.
    std::string record_flows(const std::string& outbound) const {
        const std::string in_port = "meta l4proto . " +
                                    std::string(b_.pooled() ? "meta mark . " : "") +
                                    "ct original proto-dst";
        const std::string in_index =
            b_.pooled() ? " meta mark set ct original ip daddr map @pool_index" : "";
        return rule("ct status ! confirmed " + outbound +
                        held_by_flow(taken_key(), "ct original ip saddr . ct original proto-src"),
                    "learn: the port is this endpoint's while conntrack keeps the flow") +
               rule("ct status ! confirmed oifname " + not_outside() +
                        " meta l4proto { tcp, udp } ct direction original ct status dnat" +
                        came_to_us() + in_index + held_by_flow(in_port, "ip daddr . th dport"),
                    "learn: a flow opened from outside holds the port it came to, for the "
                    "endpoint it reaches");
    }
    // The flow joins @flow_ports under `port` and @flow_owners under `port . inside`.
    static std::string held_by_flow(const std::string& port, const std::string& inside) {
        return " add @" + std::string(kFlowPorts.name) + " { " + port + " ct count over 0 } add @" +
               kFlowOwners.name + " { " + port + " . " + inside + " ct count over 0 }";
    }

    // A port outside the range (a forward's) has no slot: the map lookup
    // ends these rules, not the ones above.
    std::string learn_slots(const std::string& outbound) const {
        const std::string slot = " meta mark set th sport map @slot_of update @slots { " +
                                 std::string(kSlots.learn_key) + " timeout ";
        return rule(outbound + " ct status assured" + slot +
                        refreshed_lifetime(b_.udp_established_timeout) + " }",
                    "learn: the slot of a stream's port, for the probing allocator") +
               rule(outbound + " ct status ! assured" + slot +
                        refreshed_lifetime(b_.udp_unreplied_timeout) + " }",
                    "learn: the slot of any other flow's port");
    }

    // A lifetime of `seconds` after the last packet, as a refresh sets it
    // (the packets of the next kRefreshEveryMs refresh nothing).
    static std::string refreshed_lifetime(int seconds) {
        return std::to_string(seconds * 1000 + kRefreshEveryMs) + "ms";
    }

    // (" update @fresh { flow }", "@fresh"), then
    // (" update @s { key timeout T : value }", "@s") for every store.
    std::vector<std::pair<std::string, std::string>> updates(int seconds) const {
        std::vector<std::pair<std::string, std::string>> out{
            {" update @" + std::string(kFreshSet) + " { " + kFreshKey + " }",
             "@" + std::string(kFreshSet)}};
        for (const Store* s : stores()) {
            if (s == &kSlots) continue;  // learnt by rules of its own
            std::string key = s->learn_key, value;
            if (auto colon = key.find(" : "); colon != std::string::npos) {
                value = key.substr(colon);
                key.erase(colon);
            }
            out.emplace_back(" update @" + std::string(s->name) + " { " + key + " timeout " +
                                 refreshed_lifetime(seconds) + value + " }",
                             "@" + std::string(s->name));
        }
        return out;
    }

    // The updates after `match`, in one rule. IPv6 keys are four times as
    // wide, and nft 1.0.6 runs out of registers for several updates in one
    // rule (it aborts): there each update is a rule of its own.
    // A refresh rule's comment: what it refreshes, then for how long.
    struct RefreshComment {
        std::string what, how_long;
    };
    // One rule of every update; a NAT66's have a rule each, whose comment
    // names its own store.
    std::string refresh(const std::string& match, int seconds,
                        const RefreshComment& comment) const {
        auto all = updates(seconds);
        if (!wide()) {
            std::string joined;
            for (const auto& [update, name] : all) joined += update;
            return rule(match + joined, comment.what + comment.how_long);
        }
        std::string rules;
        for (const auto& [update, name] : all)
            rules +=
                rule(match + update, "learn: outbound packets refresh " + name + comment.how_long);
        return rules;
    }

    // Only a flow's first packet is looked at: its conntrack entry is not
    // confirmed yet (ct state stays "new" for every packet until a reply).
    // That test comes first, so for every other packet the rule ends there.
    // conntrack keeps reply tuples unique, not ports: it can give an inside
    // endpoint a port that another one holds toward other remotes. Such a
    // flow is dropped before conntrack confirms it (nothing of it stays) and
    // counted; the endpoint's next packet is given a port again. A port is
    // held while its binding lives (@taken, @owners) and while any flow
    // through it does (@flow_ports, @flow_owners: the binding's timeouts
    // can run out first). So a port belongs to one inside endpoint while
    // its mapping lives, and a full range refuses new mappings instead of
    // sharing ports.
    std::string refuse_overloading(const std::string& outbound) const {
        const std::string owner = "ct original ip saddr . ct original proto-src";
        const std::string refuse =
            std::string(b_.port_block ? " update @exhausted { ct original ip saddr }" : "") +
            " counter name " + quote_nft(kRefusedCounter) + " drop";
        std::string rules =
            endpoint_independent()
                ? rule("ct status ! confirmed ct mark " + std::string(kNewEndpointMark) + " " +
                           outbound + " " + taken_key() + " @taken" + refuse,
                       "no port overloading: a new endpoint was given a port another one holds")
                : rule("ct status ! confirmed " + outbound + " " + taken_key() + " @taken " +
                           "meta l4proto . " + (b_.pooled() ? "ip saddr . " : "") + "th sport . " +
                           owner + " != @owners" + refuse,
                       "no port overloading: the port is another inside endpoint's");
        rules +=
            rule("ct status ! confirmed " + outbound + " " + taken_key() + " @" + kFlowPorts.name +
                     " " + taken_key() + " . " + owner + " != @" + kFlowOwners.name + refuse,
                 "no port overloading: live flows of another inside endpoint use the port");
        if (b_.forwards.empty()) return rules;
        std::vector<std::string> ports, holders;
        for (const auto& f : b_.forwards) {
            std::string port =
                std::string(name_of(f.protocol)) + " . " + std::to_string(f.external_port);
            ports.push_back(port);
            holders.push_back(port + " . " + f.target.str() + " . " +
                              std::to_string(f.target_port));
        }
        return rules + rule("ct status ! confirmed " + outbound + " meta l4proto . th sport { " +
                                join(ports, ", ") + " } meta l4proto . th sport . " + owner +
                                " != { " + join(holders, ", ") + " }" + refuse,
                            "no port overloading: forwarded ports are their targets' only");
    }

    // How @taken is looked up: the mark carries the pool address's index.
    std::string taken_key() const {
        return b_.pooled() ? "meta l4proto . meta mark . th sport" : "meta l4proto . th sport";
    }

    std::string inside_set() const {
        std::vector<std::string> nets;
        for (const auto& c : nat_.inside_networks) nets.push_back(c.str());
        return nets.size() == 1 ? nets.front() : "{ " + join(nets, ", ") + " }";
    }

    std::string forwarded_ports() const {
        std::vector<std::string> ports;
        for (const auto& f : b_.forwards)
            ports.push_back(std::string(name_of(f.protocol)) + " . " +
                            std::to_string(f.external_port));
        return join(ports, ", ");
    }
};

}  // namespace

std::string in_ip6_family(const std::string& ipv4_rules) {
    // Every place the IPv4 rules name their family, longest first so that
    // no replacement is seen by a later one.
    static const std::array<std::pair<std::string_view, std::string_view>, 6> kWords = {{
        {"table ip ", "table ip6 "},
        {"snat ip to", "snat ip6 to"},
        {"dnat ip to", "dnat ip6 to"},
        {"ip saddr", "ip6 saddr"},
        {"ip daddr", "ip6 daddr"},
        {"ipv4_addr", "ipv6_addr"},
    }};
    std::string out;
    out.reserve(ipv4_rules.size() + ipv4_rules.size() / 16);
    for (std::size_t i = 0; i < ipv4_rules.size();) {
        bool replaced = false;
        for (const auto& [from, to] : kWords) {
            if (ipv4_rules.compare(i, from.size(), from) != 0) continue;
            out += to;
            i += from.size();
            replaced = true;
            break;
        }
        if (!replaced) out += ipv4_rules[i++];
    }
    // The commands of a reset or an update name the table as "ip natlab".
    for (std::string::size_type at = 0;
         (at = out.find(std::string(" ip ") + kNatTable, at)) != std::string::npos;)
        out.replace(at, 3, " ip6");
    return out;
}

namespace {

// IPv4 text as is; a NAT66's written for its family.
std::string in_family(const NatNode& nat, const std::string& text) {
    return nat.external_address.family == Family::ipv6 ? in_ip6_family(text) : text;
}

}  // namespace

std::string allowed_outbound_rules(const std::string& outside,
                                   const std::vector<AllowedPort>& ports, const char* icmp) {
    std::vector<std::string> allowed;
    for (const auto& p : ports)
        allowed.push_back(std::string(name_of(p.protocol)) + " . " + std::to_string(p.port));
    const std::string out = "oifname " + outside + " ct state new";
    std::string rules;
    if (!allowed.empty())
        rules += rule(out + " meta l4proto . th dport { " + join(allowed, ", ") + " } accept",
                      "allow-outbound: these ports may be reached outside");
    return rules + rule(out + " counter drop",
                        "allow-outbound: nothing else goes out (other ports, other protocols, " +
                            std::string(icmp) + ")");
}

namespace {

// The lines of a rendered table that declare an object ("\tset taken { ...")
// and the command that deletes it.
struct Declaration {
    std::string line, kind, name;
};

std::vector<Declaration> declarations(const std::string& table) {
    std::vector<Declaration> out;
    std::istringstream lines(table);
    for (std::string line; std::getline(lines, line);) {
        if (line.size() < 2 || line[0] != '\t' || line[1] == '\t') continue;
        std::istringstream words(line);
        std::string kind, name;
        words >> kind >> name;
        if (kind == "set" || kind == "map" || kind == "counter" || kind == "chain")
            out.push_back({line, kind, name});
    }
    return out;
}

}  // namespace

namespace {

// The rules of one outside: the whole NAT, when it has one.
std::string one_outside_rules(const NatNode& nat) {
    return in_family(nat, RulesetWriter(nat).render());
}

// Each outside's objects are its own: the names of every outside after the
// first end in its suffix (outside_object_suffix), in declarations and
// wherever a rule, a command or a comment names them.
std::string with_suffixed_objects(const std::string& text, const std::set<std::string>& names,
                                  const std::string& suffix) {
    if (suffix.empty()) return text;
    static const std::string kBefore[] = {"@",      "set ",     "map ",
                                          "chain ", "counter ", "goto ",
                                          "jump ",  "name \"",  std::string(kNatTable) + " "};
    auto word_char = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; };
    std::string out;
    for (std::size_t i = 0; i < text.size();) {
        if (!word_char(text[i]) || (i > 0 && word_char(text[i - 1]))) {
            out += text[i++];
            continue;
        }
        std::size_t end = i;
        while (end < text.size() && word_char(text[end])) ++end;
        const std::string word = text.substr(i, end - i);
        bool named = false;
        for (const auto& before : kBefore)
            named = named || (i >= before.size() &&
                              text.compare(i - before.size(), before.size(), before) == 0);
        out += named && names.count(word) ? word + suffix : word;
        i = end;
    }
    return out;
}

std::set<std::string> declared_names(const std::string& table) {
    std::set<std::string> out;
    for (const auto& d : declarations(table)) out.insert(d.name);
    return out;
}

// What `per_outside` writes for each outside of the NAT, with each
// outside's object names.
template <typename Write>
std::string for_each_outside(const NatNode& nat, Write per_outside) {
    std::string out;
    for (std::size_t i = 0; i < nat_outsides(nat).size(); ++i) {
        const NatNode one = nat_on_outside(nat, i);
        const std::string suffix = outside_object_suffix(nat, i);
        out += suffix.empty()
                   ? per_outside(one)
                   : with_suffixed_objects(per_outside(one), declared_names(one_outside_rules(one)),
                                           suffix);
    }
    return out;
}

// The objects and chains of a rendered table, without its first and last lines.
std::string table_body(const std::string& table) {
    const std::size_t open = table.find('\n') + 1;
    return table.substr(open, table.rfind("}\n") - open);
}

}  // namespace

std::string render_nat_rules(const NatNode& nat) {
    std::string text;
    if (nat.further_outsides.empty()) {
        text = one_outside_rules(nat);
        if (nat.external_address.family == Family::ipv6) return text;
    } else {
        text = "table ip " + std::string(kNatTable) + " {\n" +
               for_each_outside(
                   nat, [](const NatNode& one) { return table_body(one_outside_rules(one)); }) +
               "}\n";
    }
    return with_inside_isolation(nat, "ip", std::move(text));
}

std::vector<std::pair<std::string, std::string>> nat_stores(const NatNode& nat) {
    std::vector<std::pair<std::string, std::string>> out;
    for (std::size_t i = 0; i < nat_outsides(nat).size(); ++i)
        for (const Store* s : RulesetWriter(nat_on_outside(nat, i)).stores())
            out.emplace_back(s->kind, s->name + outside_object_suffix(nat, i));
    return out;
}

std::string render_refresh_reset(const NatNode& nat) {
    return for_each_outside(nat, [](const NatNode& one) -> std::string {
        if (RulesetWriter(one).stores().empty()) return "";
        return in_family(one, std::string("flush set ip ") + kNatTable + " " + kFreshSet + "\n");
    });
}

std::string render_nat_reset(const NatNode& nat) {
    return for_each_outside(nat, [](const NatNode& one) {
        std::string text;
        RulesetWriter writer(one);
        auto stores = writer.stores();
        for (const Store* s : stores)
            text += std::string("flush ") + s->kind + " ip " + kNatTable + " " + s->name + "\n";
        // Their flows are gone with the conntrack table: no need to wait for the sets' GC.
        for (const FlowSet* f : writer.flow_sets())
            text += std::string("flush set ip ") + kNatTable + " " + f->name + "\n";
        if (!stores.empty())
            text += std::string("flush set ip ") + kNatTable + " " + kFreshSet + "\n";
        if (!stores.empty())
            text += std::string("reset counter ip ") + kNatTable + " " + kRefusedCounter + "\n";
        if (one.behaviour.port_block)
            text += std::string("flush set ip ") + kNatTable + " exhausted\n";
        return in_family(one, text);
    });
}

std::string render_nat_update(const NatNode& old, const NatNode& next) {
    std::string next_text = render_nat_rules(next);
    std::vector<Declaration> kept = declarations(next_text);
    auto declared_alike = [&kept](const Declaration& d) {
        for (const auto& k : kept)
            if (k.line == d.line) return true;
        return false;
    };
    // Rules go first (they hold references to the sets), then every chain
    // and whatever is not declared alike; the new table adds the rest. The
    // flows just refreshed are forgotten too: the new rules may learn more
    // from their next packet (a set the old rules lacked).
    std::string text = std::string("flush table ip ") + kNatTable + "\n";
    for (const auto& d : declarations(render_nat_rules(old)))
        if (d.kind == "chain" || d.name == kFreshSet || !declared_alike(d))
            text += "delete " + d.kind + " ip " + kNatTable + " " + d.name + "\n";
    return in_family(next, text) + next_text;
}

std::vector<std::pair<std::string, std::string>> nat_sysctls(const NatNode& nat) {
    const NatBehaviour defaults;
    // Every flow counts its packets and bytes: natlab traffic reads them.
    std::vector<std::pair<std::string, std::string>> out{{"net.netfilter.nf_conntrack_acct", "1"}};
    if (nat.behaviour.udp_unreplied_timeout != defaults.udp_unreplied_timeout)
        out.emplace_back("net.netfilter.nf_conntrack_udp_timeout",
                         std::to_string(nat.behaviour.udp_unreplied_timeout));
    if (nat.behaviour.udp_established_timeout != defaults.udp_established_timeout)
        out.emplace_back("net.netfilter.nf_conntrack_udp_timeout_stream",
                         std::to_string(nat.behaviour.udp_established_timeout));
    return out;
}

}  // namespace natlab
