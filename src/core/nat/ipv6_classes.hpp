#pragma once
// What a NAT node's IPv6 side does, in the terms verify measures and the
// hole-punching theory reasons with: its RFC 4787 classes, whether it
// translates, and which of IPv4's properties it has at all. Pure.
#include <string>

#include "core/nat/ipv6_side.hpp"

namespace natlab {

// Whether the server sees another address than the inside host's own.
bool ipv6_translates(const Ipv6Side& side);

// Whether what arrives unasked from outside is filtered at all: the firewall
// mode with its firewall on, and nat66 (whose mappings admit only what their
// filtering allows). routed, nptv6 and `firewall: false` let everything in.
bool ipv6_filters(const Ipv6Side& side);

// The side as a NAT behaviour, for verify's checks and the punch theory:
// - firewall: no translation, so the mapping is endpoint-independent and
//   every port kept; filtering as declared (endpoint-independent when the
//   firewall is off); the node's udp-timeout as the filter state's lifetime;
// - routed and nptv6: endpoint-independent both ways, ports kept (nptv6 swaps
//   the prefix 1:1 and filters nothing);
// - nat66: the behaviour as declared, as for IPv4.
// None of them loses a mapping to the hole-punching race: without
// translation a peer's early packet is for the inside host, not for the
// node's own stack (`firewall` is true in the result for every mode but nat66).
NatBehaviour ipv6_effective_behaviour(const Ipv6Side& side);

// The side in a few words, where a report or a picture names it: "IPv6
// firewall, address-dependent filtering", "IPv6 firewall off", "IPv6 routed",
// "NPTv6 to 2001:db8:ff::/64", "NAT66 symmetric".
std::string ipv6_side_name(const Ipv6Side& side);

}  // namespace natlab
