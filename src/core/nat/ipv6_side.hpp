#pragma once
// What a NAT node does to IPv6: the side of a home router, a carrier or a
// translator that IPv6 crosses. IPv4's NAT stays in NatNode; this is the other
// family's, with the same vocabulary where it means the same thing.
#include <optional>
#include <vector>

#include "core/nat/behaviour.hpp"
#include "core/util/enum_names.hpp"
#include "core/util/ip.hpp"

namespace natlab {

// firewall: a CE router's stateful filter (RFC 6092), no translation.
// routed: nothing filtered or translated (a carrier that gives each phone its /64).
// nat66: translated to the outside address like IPv4 (masquerade and natlab's rules).
// nptv6: the inside prefix swapped for an outside one, 1:1 both ways (RFC 6296's aim).
enum class Ipv6Mode { firewall, routed, nat66, nptv6 };

constexpr NameTable<Ipv6Mode, 4> name_table(Ipv6Mode) {
    return {{{Ipv6Mode::firewall, "firewall"},
             {Ipv6Mode::routed, "routed"},
             {Ipv6Mode::nat66, "nat66"},
             {Ipv6Mode::nptv6, "nptv6"}}};
}

struct Ipv6Side {
    Ipv6Mode mode = Ipv6Mode::firewall;
    // firewall: behaviour.mf.filtering, the timeouts and `firewall`
    // (false: nothing dropped) apply; nat66: all of it, as for IPv4.
    NatBehaviour behaviour;
    // Unsolicited echo requests from outside reach inside hosts (RFC 4890
    // section 4.3.1 lists echo among what a firewall should not drop).
    bool echo_allowed = true;
    IpAddress external_address;         // the outside interface's first global IPv6 address
    std::vector<Cidr> inside_networks;  // IPv6 networks on every other interface
    // nptv6: the outside prefix, and the inside one it stands for.
    std::optional<Cidr> outside_prefix, inside_prefix;
    bool operator==(const Ipv6Side&) const = default;

    // Whether the side has rules at all.
    bool has_rules() const {
        return mode == Ipv6Mode::nat66 || mode == Ipv6Mode::nptv6 ||
               (mode == Ipv6Mode::firewall && behaviour.firewall);
    }
};

}  // namespace natlab
