#include "core/nat/validate_ipv6.hpp"

#include <algorithm>

#include "core/nat/nat_presets.hpp"
#include "core/util/text.hpp"

namespace natlab {

namespace {

class Ipv6Checker {
  public:
    Ipv6Checker(const Ipv6SideInput& in, Diagnostics& diag) : in_(in), diag_(diag) {}

    std::optional<Ipv6Side> run() {
        const NatPreset* preset = find_nat_preset(in_.ipv4.preset);
        if (preset) side_.mode = *parse_name<Ipv6Mode>(preset->ipv6_mode);
        if (in_.written && in_.written->mode) {
            const auto& mode = *in_.written->mode;
            if (auto m = parse_name<Ipv6Mode>(mode.value)) {
                side_.mode = *m;
            } else {
                diag_.error(mode.pos, "unknown ipv6 mode " + quote(mode.value) + of_node() +
                                          "; use one of " + join(names_of<Ipv6Mode>(), ", ") +
                                          did_you_mean(mode.value, names_of<Ipv6Mode>()));
                return std::nullopt;
            }
        }
        // A node without IPv6 has no IPv6 side, whatever filters it would keep.
        if (!in_.external_address && in_.inside_networks.empty()) {
            if (side_.mode == Ipv6Mode::nat66 || side_.mode == Ipv6Mode::nptv6)
                diag_.error(in_.written->pos, "nat node " + quote(in_.nat_name) +
                                                  " translates IPv6 (mode " + name_of(side_.mode) +
                                                  ") but has no IPv6 address; give its links "
                                                  "IPv6 subnets, or remove 'ipv6'");
            return std::nullopt;
        }
        refuse_own_timeouts();
        side_.external_address = in_.external_address.value_or(IpAddress{Family::ipv6, {}});
        side_.inside_networks = in_.inside_networks;
        switch (side_.mode) {
            case Ipv6Mode::firewall:
                firewall();
                break;
            case Ipv6Mode::routed:
                refuse_keys("routed: IPv6 crosses it untouched");
                side_.behaviour.firewall = false;
                break;
            case Ipv6Mode::nat66:
                nat66();
                break;
            case Ipv6Mode::nptv6:
                nptv6();
                break;
        }
        if (in_.written && in_.written->echo) echo(*in_.written->echo);
        return side_;
    }

  private:
    const Ipv6SideInput& in_;
    Diagnostics& diag_;
    Ipv6Side side_;

    std::string of_node() const { return " of nat node " + quote(in_.nat_name); }
    const NatSpec* keys() const { return in_.written ? &in_.written->nat : nullptr; }

    // The NAT keys written under 'ipv6', with their names.
    std::vector<std::pair<const Marked<std::string>*, const char*>> written_nat_keys() const {
        std::vector<std::pair<const Marked<std::string>*, const char*>> out;
        const NatSpec* k = keys();
        if (!k) return out;
        const std::pair<const std::optional<Marked<std::string>>*, const char*> all[] = {
            {&k->type, "type"},
            {&k->mapping, "mapping"},
            {&k->filtering, "filtering"},
            {&k->hairpinning, "hairpinning"},
            {&k->port_preservation, "port-preservation"},
            {&k->port_allocation, "port-allocation"},
            {&k->port_range, "port-range"}};
        for (const auto& [value, name] : all)
            if (*value) out.emplace_back(&**value, name);
        return out;
    }

    // Keys a mode does not take, each refused with what the mode does instead.
    void refuse_keys(const std::string& why, const std::vector<std::string>& taken = {}) {
        for (const auto& [value, name] : written_nat_keys()) {
            if (std::find(taken.begin(), taken.end(), name) != taken.end()) continue;
            diag_.error(value->pos, "'" + std::string(name) + "' under 'ipv6' of nat node " +
                                        quote(in_.nat_name) + " does not apply to mode " + why +
                                        "; remove it, or write 'mode: nat66' to translate IPv6");
        }
        if (in_.written && in_.written->prefix && side_.mode != Ipv6Mode::nptv6)
            diag_.error(in_.written->prefix->pos,
                        "'prefix' under 'ipv6' of nat node " + quote(in_.nat_name) +
                            " is the outside prefix of mode nptv6; remove it or write "
                            "'mode: nptv6'");
    }

    // RFC 6092 REC-11 (UDP) and REC-33 (TCP): filtering SHOULD be
    // endpoint-independent by default in gateways provisioned without
    // service-provider management. The timeouts and whether anything is
    // dropped at all follow the node's IPv4 side unless written here.
    void firewall() {
        refuse_keys("firewall (RFC 6092: it filters, it translates nothing)", {"filtering"});
        NatBehaviour& b = side_.behaviour;
        b.mf = {Dependence::endpoint_independent, Dependence::endpoint_independent};
        if (const NatPreset* preset = find_nat_preset(in_.ipv4.preset))
            b.mf.filtering = *parse_name<Dependence>(preset->ipv6_filtering);
        b.firewall = in_.ipv4.firewall;
        b.allowed_outbound = in_.ipv4.allowed_outbound;
        b.preset = in_.ipv4.preset;
        timeouts(b);
        if (keys() && keys()->filtering) {
            const auto& f = *keys()->filtering;
            if (auto d = parse_name<Dependence>(f.value)) {
                b.mf.filtering = *d;
            } else {
                diag_.error(f.pos, "unknown filtering behaviour " + quote(f.value) + of_node() +
                                       "; use one of " + join(names_of<Dependence>(), ", ") +
                                       did_you_mean(f.value, names_of<Dependence>()));
            }
        }
    }

    // conntrack keeps one UDP timeout per namespace, for both families: the
    // filter state and a NAT66's bindings live by the node's.
    void timeouts(NatBehaviour& b) {
        b.udp_unreplied_timeout = in_.ipv4.udp_unreplied_timeout;
        b.udp_established_timeout = in_.ipv4.udp_established_timeout;
    }

    void refuse_own_timeouts() {
        if (!keys()) return;
        const auto& written =
            keys()->udp_unreplied ? keys()->udp_unreplied : keys()->udp_established;
        if (!written) return;
        diag_.error(written->pos,
                    "'udp-timeout' under 'ipv6' of nat node " + quote(in_.nat_name) +
                        ": conntrack keeps one UDP timeout per namespace, for IPv4 and IPv6 "
                        "alike; write 'udp-timeout' on the node instead");
    }

    // The NAT keys under 'ipv6' describe the NAT66 wholly; without any it
    // is the node's IPv4 NAT again, so "full cone" means the same thing in
    // both families. What names IPv4 addresses stays with IPv4.
    void nat66() {
        if (!in_.external_address) {
            diag_.error(in_.written->pos,
                        "nat node " + quote(in_.nat_name) +
                            " translates IPv6 (mode nat66) but "
                            "its outside interface " +
                            quote(in_.outside) +
                            " has no IPv6 address to translate to; give that link an IPv6 "
                            "'subnet:' or write an address");
        }
        if (written_nat_keys().empty()) {
            NatBehaviour b = in_.ipv4;
            b.forwards.clear();
            b.excluded.clear();
            b.exclude_written.clear();
            b.pool.clear();
            b.port_block = 0;
            b.one_to_one.reset();
            b.port_mapping.clear();
            side_.behaviour = b;
            return;
        }
        NatSpec spec = *keys();
        spec.udp_unreplied.reset();
        spec.udp_established.reset();
        if (!spec.firewall && in_.ipv4.firewall == false)
            spec.firewall = Marked<std::string>{"false", in_.written->pos};
        side_.behaviour =
            check_nat_behaviour(spec, in_.nat_name, in_.inside_networks, in_.lab_nodes, diag_);
        refuse_address_dependent_mapping(spec);
        timeouts(side_.behaviour);
    }

    // Address-dependent mapping keeps a map keyed by the inside and the
    // remote address; nftables 1.0.6 (Debian 12) aborts on updating a map
    // whose key holds two IPv6 addresses.
    void refuse_address_dependent_mapping(const NatSpec& spec) {
        if (side_.behaviour.mf.mapping != Dependence::address_dependent) return;
        const auto& where = spec.mapping ? spec.mapping : spec.type;
        diag_.error(where ? where->pos : in_.written->pos,
                    "NAT66 of nat node " + quote(in_.nat_name) +
                        " cannot have address-dependent mapping: it needs a map keyed by two "
                        "IPv6 addresses, which nftables 1.0.6 (Debian 12) cannot update; use "
                        "'mapping: endpoint-independent' or 'address-and-port-dependent' under "
                        "'ipv6'");
    }

    // One inside prefix for one outside prefix of the same length: a 1:1 map.
    void nptv6() {
        refuse_keys("nptv6 (a 1:1 prefix translation, both ways)");
        side_.behaviour.firewall = false;
        const auto& written = in_.written;
        if (!written->prefix) {
            diag_.error(written->pos, "nat node " + quote(in_.nat_name) +
                                          " translates IPv6 prefixes (mode "
                                          "nptv6) but names no outside prefix; write it, e.g. "
                                          "'ipv6: {mode: nptv6, prefix: 2001:db8:ff::/64}'");
            return;
        }
        const auto& p = *written->prefix;
        auto prefix = Cidr::parse(p.value);
        if (!prefix || prefix->address.family != Family::ipv6 || !prefix->is_network()) {
            diag_.error(p.pos, "nptv6 prefix " + quote(p.value) + of_node() +
                                   " must be an IPv6 network such as 2001:db8:ff::/64 (host bits "
                                   "zero)");
            return;
        }
        if (in_.inside_networks.size() != 1) {
            diag_.error(p.pos, "nat node " + quote(in_.nat_name) +
                                   " translates one inside IPv6 prefix (mode nptv6) but has " +
                                   std::to_string(in_.inside_networks.size()) +
                                   " inside IPv6 networks; give it exactly one inside link with "
                                   "an IPv6 subnet");
            return;
        }
        const Cidr& inside = in_.inside_networks.front();
        if (inside.prefix != prefix->prefix) {
            diag_.error(p.pos, "nptv6 prefix " + quote(p.value) + of_node() + " is a /" +
                                   std::to_string(prefix->prefix) + " but the inside network " +
                                   inside.str() + " is a /" + std::to_string(inside.prefix) +
                                   "; a 1:1 translation needs the same length, e.g. " +
                                   prefix->address.str() + "/" + std::to_string(inside.prefix));
            return;
        }
        if (prefix->overlaps(inside)) {
            diag_.error(p.pos, "nptv6 prefix " + quote(p.value) + of_node() +
                                   " overlaps the inside network " + inside.str() +
                                   "; choose an outside prefix of its own");
            return;
        }
        side_.outside_prefix = *prefix;
        side_.inside_prefix = inside;
    }

    void echo(const Marked<std::string>& value) {
        if (value.value == "allow" || value.value == "drop") {
            side_.echo_allowed = value.value == "allow";
            return;
        }
        diag_.error(value.pos, "ipv6 echo " + quote(value.value) + of_node() +
                                   " must be 'allow' (RFC 4890: unsolicited echo requests reach "
                                   "inside hosts) or 'drop'");
    }
};

}  // namespace

std::optional<Ipv6Side> check_ipv6_side(const Ipv6SideInput& in, Diagnostics& diag) {
    return Ipv6Checker(in, diag).run();
}

}  // namespace natlab
