#include "core/nat/validate_nat.hpp"

#include <algorithm>
#include <set>

#include "core/input/values.hpp"
#include "core/nat/nat_presets.hpp"
#include "core/util/cidr_table.hpp"
#include "core/util/text.hpp"

namespace natlab {

namespace {

// The word after a forward's target that makes the NAT's filtering apply to it.
constexpr const char* kFiltered = "filtered";

class NatChecker {
  public:
    NatChecker(const NatSpec& spec, const std::string& nat_name,
               const std::vector<Cidr>& inside_networks, const std::vector<NodeAddresses>& nodes,
               Diagnostics& diag)
        : spec_(spec), name_(nat_name), inside_(inside_networks), nodes_(nodes), diag_(diag) {}

    NatBehaviour run() {
        const NatSpec& in = spec_;
        if (in.preset) out_.preset = in.preset->value;
        check_type_and_classes(in);
        if (out_.plain_masquerade()) refuse_with_masquerade(in);
        if (in.hairpinning) out_.hairpinning = boolean(*in.hairpinning, "hairpinning");
        if (in.port_range) check_port_range(*in.port_range);
        out_.allocation = allocation(in);
        if (in.firewall) out_.firewall = boolean(*in.firewall, "firewall");
        if (in.isolate_inside) out_.isolate_inside = boolean(*in.isolate_inside, "isolate-inside");
        if (in.udp_unreplied) out_.udp_unreplied_timeout = seconds(*in.udp_unreplied, "unreplied");
        if (in.udp_established)
            out_.udp_established_timeout = seconds(*in.udp_established, "established");
        for (const auto& [port, target] : in.forwards) check_forward(port, target);
        check_excluded(in.exclude);
        if (in.pool) check_pool(*in.pool);
        if (in.pooling) check_pooling(*in.pooling);
        if (in.allow_outbound) check_allowed_outbound(*in.allow_outbound);
        if (in.port_block) check_port_block(*in.port_block);
        if (in.one_to_one) check_one_to_one(in);
        if (in.port_mapping) check_port_mapping(*in.port_mapping);
        return out_;
    }

  private:
    const NatSpec& spec_;
    const std::string& name_;
    const std::vector<Cidr>& inside_;
    const std::vector<NodeAddresses>& nodes_;
    Diagnostics& diag_;
    NatBehaviour out_;

    std::string of_node() const { return " of nat node " + quote(name_); }

    void check_type_and_classes(const NatSpec& in) {
        bool declares_rules = in.type || in.mapping || in.filtering || in.hairpinning ||
                              in.port_preservation || in.port_allocation || in.preset || in.pool ||
                              in.pooling || in.allow_outbound || in.port_block || in.one_to_one;
        if (!declares_rules) {
            out_.type = NatType::masquerade;
            out_.mf = classic_behaviour(NatType::masquerade);
            return;
        }
        if (in.type) {
            auto type = parse_name<NatType>(in.type->value);
            if (!type) {
                diag_.error(in.type->pos, "unknown NAT type " + quote(in.type->value) + of_node() +
                                              "; use one of " + join(names_of<NatType>(), ", ") +
                                              did_you_mean(in.type->value, names_of<NatType>()));
                return;
            }
            out_.type = *type;
            out_.mf = classic_behaviour(*type);
            for (const auto* cls : {&in.mapping, &in.filtering})
                if (*cls)
                    refuse_class_with_type(**cls, cls == &in.mapping ? "mapping" : "filtering");
            return;
        }
        if (in.mapping) out_.mf.mapping = dependence(*in.mapping, "mapping");
        if (in.filtering) out_.mf.filtering = dependence(*in.filtering, "filtering");
    }

    void refuse_class_with_type(const Marked<std::string>& value, const char* key) {
        diag_.error(value.pos, "'" + std::string(key) + "' cannot be combined with 'type: " +
                                   name_of(*out_.type) + "', which already means mapping " +
                                   name_of(out_.mf.mapping) + " and filtering " +
                                   name_of(out_.mf.filtering) + "; remove 'type' or '" + key + "'");
    }

    // Masquerade is the kernel's own behaviour with no rules of natlab's, so
    // there is nothing to attach these settings to.
    void refuse_with_masquerade(const NatSpec& in) {
        const std::pair<const std::optional<Marked<std::string>>*, const char*> settings[] = {
            {&in.hairpinning, "hairpinning"},
            {&in.port_preservation, "port-preservation"},
            {&in.port_allocation, "port-allocation"}};
        for (const auto& [value, key] : settings) {
            if (!*value) continue;
            diag_.error((*value)->pos,
                        "'" + std::string(key) +
                            "' cannot be set with 'type: masquerade' (the kernel's plain "
                            "masquerade, with no mapping rules of natlab's: it preserves ports and "
                            "never hairpins); choose another type, e.g. "
                            "'type: port-restricted-cone'");
        }
    }

    // Written, or the default that fits the rest: a NAT whose mapping depends
    // on the destination picks ports at random (a "hard" NAT, as such NATs
    // are met: port preservation would let two peers with well-known ports
    // straight through), and so does one with a port range (an inside port
    // is seldom in it); every other keeps the inside port, as Linux and most
    // home routers do.
    PortAllocation allocation(const NatSpec& in) {
        if (in.port_allocation && in.port_preservation) {
            diag_.error(in.port_preservation->pos,
                        "nat node " + quote(name_) +
                            " has both 'port-preservation' and 'port-allocation', which say how "
                            "ports are chosen; keep only 'port-allocation: " +
                            in.port_allocation->value + "'");
        }
        if (in.port_allocation) {
            if (auto a = parse_name<PortAllocation>(in.port_allocation->value)) return *a;
            diag_.error(in.port_allocation->pos,
                        "unknown port-allocation " + quote(in.port_allocation->value) + of_node() +
                            "; use one of " + join(names_of<PortAllocation>(), ", ") +
                            did_you_mean(in.port_allocation->value, names_of<PortAllocation>()));
            return PortAllocation::preserve;
        }
        if (in.port_preservation)
            return boolean(*in.port_preservation, "port-preservation") ? PortAllocation::preserve
                                                                       : PortAllocation::random;
        if (out_.mf.mapping == Dependence::address_and_port_dependent || in.port_range ||
            in.port_block)
            return PortAllocation::random;
        return PortAllocation::preserve;
    }

    Dependence dependence(const Marked<std::string>& value, const char* key) {
        if (auto d = parse_name<Dependence>(value.value)) return *d;
        diag_.error(value.pos, "unknown " + std::string(key) + " behaviour " + quote(value.value) +
                                   of_node() + "; use one of " +
                                   join(names_of<Dependence>(), ", ") +
                                   did_you_mean(value.value, names_of<Dependence>()));
        return {};
    }

    bool boolean(const Marked<std::string>& value, const char* key) {
        return read_boolean(value, key, diag_);
    }

    void check_port_range(const Marked<std::string>& value) {
        const auto& text = value.value;
        auto dash = text.find('-');
        std::optional<int> first, last;
        if (dash != std::string::npos) {
            first = parse_int(std::string_view(text).substr(0, dash), 1, 65535);
            last = parse_int(std::string_view(text).substr(dash + 1), 1, 65535);
        }
        if (!first || !last || *first > *last) {
            diag_.error(value.pos, "port-range " + quote(text) +
                                       " must be 'first-last' with 1 <= first <= last <= 65535, "
                                       "e.g. 1024-65535");
            return;
        }
        out_.port_range = PortRange{*first, *last};
    }

    int seconds(const Marked<std::string>& value, const char* which) {
        // The kernel keeps conntrack timeouts in jiffies in 32 bits.
        constexpr int kMaxSeconds = 2'000'000;
        if (auto s = parse_int(value.value, 1, kMaxSeconds)) return *s;
        diag_.error(value.pos, "udp-timeout " + std::string(which) + " " + quote(value.value) +
                                   " must be a whole number of seconds from 1 to " +
                                   std::to_string(kMaxSeconds) + ", e.g. 30");
        return 0;
    }

    // "udp/5000" or "tcp/443"; `what` names it in the message.
    std::optional<AllowedPort> protocol_port(const Marked<std::string>& value, const char* what,
                                             const char* example) {
        auto slash = value.value.find('/');
        std::string proto = value.value.substr(0, slash);
        auto number = slash == std::string::npos
                          ? std::nullopt
                          : parse_int(std::string_view(value.value).substr(slash + 1), 1, 65535);
        if ((proto != "udp" && proto != "tcp") || !number) {
            diag_.error(value.pos, std::string(what) + " " + quote(value.value) +
                                       " must be 'udp/PORT' or 'tcp/PORT' with a port from 1 to "
                                       "65535, e.g. " +
                                       example);
            return std::nullopt;
        }
        return AllowedPort{proto == "tcp" ? Protocol::tcp : Protocol::udp, *number};
    }

    void check_forward(const Marked<std::string>& port, const Marked<std::string>& target) {
        PortForward fwd;
        fwd.written = port.value + ": " + target.value;
        auto parsed = protocol_port(port, "forwarded port", "udp/5000");
        if (!parsed) return;
        fwd.protocol = parsed->protocol;
        fwd.external_port = parsed->port;
        if (!seen_forwards_.insert(port.value).second) {
            diag_.error(port.pos, "port " + quote(port.value) + of_node() +
                                      " is forwarded twice; keep one target");
            return;
        }
        if (!resolve_target(target, fwd)) return;
        out_.forwards.push_back(fwd);
    }

    // "c0:5000" (a node behind the NAT) or "10.0.1.1:5000" (an inside
    // address), then "filtered" when the NAT's filtering is to apply.
    bool resolve_target(const Marked<std::string>& target, PortForward& fwd) {
        std::string endpoint = target.value;
        if (auto space = endpoint.find_first_of(" \t"); space != std::string::npos) {
            auto from = endpoint.find_first_not_of(" \t", space);
            std::string word = from == std::string::npos ? "" : endpoint.substr(from);
            endpoint.erase(space);
            if (!word.empty() && word != kFiltered) {
                diag_.error(target.pos,
                            "forward target " + quote(target.value) + of_node() + " ends in " +
                                quote(word) + ", which natlab does not know; write '" + endpoint +
                                " " + kFiltered +
                                "' to let in only what the NAT's filtering lets in, or '" +
                                endpoint + "' to let anyone in");
                return false;
            }
            fwd.filtered = !word.empty();
        }
        auto colon = endpoint.rfind(':');
        auto port = colon == std::string::npos
                        ? std::nullopt
                        : parse_int(std::string_view(endpoint).substr(colon + 1), 1, 65535);
        if (!port) {
            diag_.error(target.pos, "forward target " + quote(target.value) +
                                        " must be 'node:port' or 'address:port', e.g. c0:5000");
            return false;
        }
        fwd.target_port = *port;
        auto ip = inside_ipv4(endpoint.substr(0, colon), target.pos, "forward target",
                              "forward to a host behind the NAT");
        if (ip) fwd.target = *ip;
        return ip.has_value();
    }

    bool on_inside(const IpAddress& ip) const {
        for (const auto& net : inside_)
            if (net.contains(ip)) return true;
        return false;
    }

    // A node behind the NAT, or an IPv4 address on its inside: its address.
    std::optional<IpAddress> inside_ipv4(const std::string& host, SourcePos pos,
                                         const std::string& what, const std::string& fix) {
        if (auto ip = IpAddress::parse(host)) {
            if (ip->family == Family::ipv4 && on_inside(*ip)) return ip;
            diag_.error(pos, what + " " + quote(host) + of_node() +
                                 " is not on any of its inside subnets; " + fix);
            return std::nullopt;
        }
        auto node = std::find_if(nodes_.begin(), nodes_.end(),
                                 [&](const NodeAddresses& n) { return n.node == host; });
        if (node == nodes_.end()) {
            std::string nearest = did_you_mean(host, node_names());
            diag_.error(pos, what + " " + quote(host) + " is not a node of the lab" +
                                 (nearest.empty() ? "; " + fix : nearest));
            return std::nullopt;
        }
        if (auto address = inside_address(*node)) return address;
        diag_.error(pos, what + " " + quote(host) + " has no IPv4 address on an inside link" +
                             of_node() + "; " + fix);
        return std::nullopt;
    }

    std::optional<IpAddress> inside_address(const NodeAddresses& node) const {
        for (const auto& a : node.addresses)
            if (a.address.family == Family::ipv4 && on_inside(a.address)) return a.address;
        return std::nullopt;
    }

    // one-to-one: HOST, or (from a preset) the NAT's only inside host. The
    // address is that host's for good, so nothing that chooses ports,
    // filters or expires has anything to do.
    void check_one_to_one(const NatSpec& in) {
        const Marked<std::string>& written = *in.one_to_one;
        const std::pair<const std::optional<Marked<std::string>>*, const char*> refused[] = {
            {&in.type, "type"},
            {&in.mapping, "mapping"},
            {&in.filtering, "filtering"},
            {&in.hairpinning, "hairpinning"},
            {&in.port_preservation, "port-preservation"},
            {&in.port_allocation, "port-allocation"},
            {&in.port_range, "port-range"},
            {&in.firewall, "firewall"},
            {&in.udp_unreplied, "udp-timeout"},
            {&in.udp_established, "udp-timeout"},
            {&in.pooling, "pooling"},
            {&in.port_block, "port-block"}};
        const std::string why = " cannot be set on nat node " + quote(name_) +
                                ", which is one-to-one: its address is one inside host's, every "
                                "port kept both ways, anyone may reach it, for good; remove '";
        for (const auto& [value, key] : refused)
            if (*value && !from_preset(in, **value))
                diag_.error((*value)->pos, "'" + std::string(key) + "'" + why + key + "'");
        if (in.pool) diag_.error(in.pool->front().pos, "'pool'" + why + "pool'");
        if (!in.forwards.empty())
            diag_.error(in.forwards.front().first.pos,
                        "'forwards'" + why + "forwards' (every port is forwarded already)");
        out_.mf = {Dependence::endpoint_independent, Dependence::endpoint_independent};
        out_.type.reset();
        out_.hairpinning = false;
        out_.allocation = PortAllocation::preserve;
        out_.one_to_one = written.value.empty()
                              ? only_inside_host(written)
                              : inside_ipv4(written.value, written.pos, "one-to-one host",
                                            "name the host behind the NAT that owns its address");
    }

    // upnp, pcp (nat-pmp is its older version, served with it), or all.
    void check_port_mapping(const std::vector<Marked<std::string>>& written) {
        static const std::vector<std::string> words = {"upnp", "pcp", "nat-pmp", "all"};
        std::set<MappingProtocol> protocols;
        for (const auto& w : written) {
            if (w.value == "upnp" || w.value == "all") protocols.insert(MappingProtocol::upnp);
            if (w.value == "pcp" || w.value == "nat-pmp" || w.value == "all")
                protocols.insert(MappingProtocol::pcp);
            if (std::find(words.begin(), words.end(), w.value) == words.end())
                diag_.error(w.pos, "unknown port-mapping protocol " + quote(w.value) + of_node() +
                                       "; use upnp, pcp (PCP and NAT-PMP), nat-pmp (the same) "
                                       "or all" +
                                       did_you_mean(w.value, words));
        }
        if (written.empty() || !spec_.one_to_one) {
            out_.port_mapping.assign(protocols.begin(), protocols.end());
            return;
        }
        diag_.error(written.front().pos,
                    "'port-mapping' cannot be set on nat node " + quote(name_) +
                        ", which is one-to-one: every port already reaches its host; remove "
                        "'port-mapping'");
    }

    std::optional<IpAddress> only_inside_host(const Marked<std::string>& from) {
        std::vector<std::string> hosts;
        std::optional<IpAddress> address;
        for (const auto& n : nodes_)
            if (n.node != name_)
                if (auto a = inside_address(n)) {
                    hosts.push_back(n.node);
                    address = a;
                }
        if (hosts.size() == 1) return address;
        diag_.error(from.pos, hosts.empty()
                                  ? "preset " + quote(out_.preset) +
                                        " gives the external address of nat node " + quote(name_) +
                                        " to its one inside host, and it has none; link one "
                                        "to its inside"
                                  : "preset " + quote(out_.preset) +
                                        " gives the external address of nat node " + quote(name_) +
                                        " to one inside host, and it has " +
                                        std::to_string(hosts.size()) + " (" + join(hosts, ", ") +
                                        "); name it, e.g. 'one-to-one: " + hosts.front() + "'");
        return std::nullopt;
    }

    std::vector<std::string> node_names() const {
        std::vector<std::string> names;
        for (const auto& n : nodes_) names.push_back(n.node);
        return names;
    }

    // exclude: networks reached untranslated, with pf's exceptions
    // ("!192.168.254.0/24": translated after all).
    void check_excluded(const std::vector<Marked<std::string>>& written) {
        std::vector<CidrTableEntry> entries;
        for (const auto& value : written)
            if (auto entry = excluded_entry(value)) entries.push_back(*entry);
        for (std::size_t i = 0; i < entries.size(); ++i) {
            if (!entries[i].exception) continue;
            bool inside = false;
            for (const auto& e : entries)
                inside = inside || (!e.exception && e.network.prefix < entries[i].network.prefix &&
                                    e.network.contains(entries[i].network.address));
            if (!inside)
                diag_.error(entry_pos_[i],
                            "exception " + quote("!" + entries[i].network.str()) + of_node() +
                                " lies in no excluded network, so it changes nothing; remove it, "
                                "or exclude a network that holds it (e.g. " +
                                Cidr{entries[i].network.address, 8}.network().str() + ")");
        }
        out_.excluded = resolve_cidr_table(entries);
        out_.exclude_written = entries;
    }

    std::optional<CidrTableEntry> excluded_entry(const Marked<std::string>& value) {
        const bool exception = value.value.starts_with('!');
        const std::string text = exception ? value.value.substr(1) : value.value;
        auto cidr = Cidr::parse(text);
        if (!cidr) {
            auto ip = IpAddress::parse(text);
            if (ip) cidr = Cidr{*ip, ip->bit_width()};
        }
        if (!cidr) {
            diag_.error(value.pos,
                        "excluded destination " + quote(value.value) +
                            " is not an address or CIDR; write e.g. 10.0.0.0/8, or "
                            "!192.168.254.0/24 for an exception inside an excluded network");
            return std::nullopt;
        }
        if (cidr->address.family != Family::ipv4) {
            diag_.error(value.pos, "excluded destination " + quote(value.value) +
                                       " is IPv6; natlab translates IPv4 only and routes IPv6 "
                                       "untranslated, so there is nothing to exclude");
            return std::nullopt;
        }
        if (!cidr->is_network()) {
            diag_.error(value.pos, "excluded destination " + quote(value.value) +
                                       " has host bits set; write " + (exception ? "!" : "") +
                                       cidr->network().str());
            return std::nullopt;
        }
        entry_pos_.push_back(value.pos);
        return CidrTableEntry{*cidr, exception};
    }

    // The pool's addresses share marks with nothing else, and every one is
    // written into the rules: a few hundred at most.
    static constexpr std::uint32_t kLargestPool = 256;

    // Each value an address, a range "203.0.113.10-203.0.113.13" or a CIDR
    // "203.0.113.8/30" (every address of a /31 or /32; the others without
    // their network and broadcast address).
    void check_pool(const std::vector<Marked<std::string>>& values) {
        for (const auto& value : values) {
            auto range = address_range(value.value);
            if (!range) {
                diag_.error(value.pos, "pool address " + quote(value.value) + of_node() +
                                           " must be an IPv4 address, a range 'first-last' or a "
                                           "CIDR, e.g. 203.0.113.10-203.0.113.13 or "
                                           "203.0.113.8/29");
                continue;
            }
            for (std::uint64_t a = range->first; a <= range->second; ++a) {
                IpAddress ip = ipv4_of(static_cast<std::uint32_t>(a));
                if (std::find(out_.pool.begin(), out_.pool.end(), ip) != out_.pool.end()) {
                    diag_.error(value.pos, "pool address " + ip.str() + of_node() +
                                               " is listed twice; list each address once");
                    return;
                }
                if (out_.pool.size() == kLargestPool) {
                    diag_.error(value.pos, "the pool" + of_node() + " holds more than " +
                                               std::to_string(kLargestPool) +
                                               " addresses; a pool holds at most that (a /24)");
                    return;
                }
                out_.pool.push_back(ip);
            }
        }
    }

    static std::optional<std::pair<std::uint64_t, std::uint64_t>> address_range(
        const std::string& text) {
        if (auto cidr = Cidr::parse(text); cidr && cidr->address.family == Family::ipv4) {
            if (!cidr->is_network()) return std::nullopt;
            std::uint64_t first = u32_of(cidr->address), last = u32_of(cidr->last());
            if (cidr->prefix <= 30) ++first, --last;
            return std::pair{first, last};
        }
        auto dash = text.find('-');
        if (dash == std::string::npos) {
            auto ip = IpAddress::parse(text);
            if (!ip || ip->family != Family::ipv4) return std::nullopt;
            return std::pair<std::uint64_t, std::uint64_t>{u32_of(*ip), u32_of(*ip)};
        }
        auto first = IpAddress::parse(text.substr(0, dash)),
             last = IpAddress::parse(text.substr(dash + 1));
        if (!first || !last || first->family != Family::ipv4 || last->family != Family::ipv4 ||
            u32_of(*first) > u32_of(*last))
            return std::nullopt;
        return std::pair<std::uint64_t, std::uint64_t>{u32_of(*first), u32_of(*last)};
    }

    static std::uint32_t u32_of(const IpAddress& ip) {
        return std::uint32_t(ip.bytes[0]) << 24 | std::uint32_t(ip.bytes[1]) << 16 |
               std::uint32_t(ip.bytes[2]) << 8 | ip.bytes[3];
    }
    static IpAddress ipv4_of(std::uint32_t v) {
        IpAddress ip;
        for (int i = 0; i < 4; ++i) ip.bytes[i] = static_cast<std::uint8_t>(v >> (24 - 8 * i));
        return ip;
    }

    void check_pooling(const Marked<std::string>& value) {
        if (auto p = parse_name<Pooling>(value.value)) {
            out_.pooling = *p;
        } else {
            diag_.error(value.pos, "unknown pooling " + quote(value.value) + of_node() +
                                       "; use one of " + join(names_of<Pooling>(), ", ") +
                                       did_you_mean(value.value, names_of<Pooling>()));
            return;
        }
        // A preset says how a pool would be used; only a written one needs a pool.
        if (!spec_.pool && !from_preset(spec_, value))
            diag_.error(value.pos, "'pooling' of nat node " + quote(name_) +
                                       " needs a 'pool' of external addresses to spread "
                                       "mappings over; add e.g. 'pool: 203.0.113.10-203.0.113.13' "
                                       "or remove 'pooling'");
    }

    // A block is a subscriber's own ports: a new mapping gets a random one
    // of them (the inside port is seldom in the block, and one counter for
    // every subscriber cannot hand each its next port).
    void check_port_block(const Marked<std::string>& value) {
        PortRange r = out_.allocation_range();
        auto size = parse_int(value.value, 1, r.last - r.first + 1);
        if (!size) {
            diag_.error(value.pos, "port-block " + quote(value.value) + of_node() +
                                       " must be a number of ports from 1 to " +
                                       std::to_string(r.last - r.first + 1) +
                                       " (the ports of its range), e.g. 2048");
            return;
        }
        out_.port_block = *size;
        if (out_.allocation != PortAllocation::random) {
            const auto& written =
                spec_.port_allocation ? spec_.port_allocation : spec_.port_preservation;
            diag_.error(written ? written->pos : value.pos,
                        "port-block" + of_node() +
                            " gives each subscriber a block of ports, in which new mappings get "
                            "a random one; remove 'port-allocation' or make it 'random'");
        }
    }

    void check_allowed_outbound(const std::vector<Marked<std::string>>& ports) {
        std::vector<AllowedPort> allowed;
        for (const auto& p : ports)
            if (auto port = protocol_port(p, "allowed outbound port", "tcp/443"))
                allowed.push_back(*port);
        out_.allowed_outbound = allowed;
    }

    std::set<std::string> seen_forwards_;
    std::vector<SourcePos> entry_pos_;  // of each entry excluded_entry() returned
};

}  // namespace

NatBehaviour check_nat_behaviour(const NatSpec& written, const std::string& nat_name,
                                 const std::vector<Cidr>& inside_networks,
                                 const std::vector<NodeAddresses>& lab_nodes, Diagnostics& diag) {
    NatSpec spec = written;
    apply_nat_preset(spec, nat_name, diag);
    return NatChecker(spec, nat_name, inside_networks, lab_nodes, diag).run();
}

}  // namespace natlab
