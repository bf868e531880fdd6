#pragma once
// A NAT node's NAT64 (RFC 6146): IPv6 hosts reach IPv4 ones by addresses
// under a /96 prefix (RFC 6052). tayga translates each packet (RFC 7915) in
// the node's namespace between the prefix and a private IPv4 pool, one pool
// address per IPv6 host; the node's IPv4 NAT then translates the pool like any
// inside network, so its mapping, filtering and port allocation apply to
// translated flows unchanged.
#include "core/util/ip.hpp"

namespace natlab {

// RFC 6052 section 2.1: 64:ff9b::/96, which only reaches global IPv4 addresses.
inline constexpr const char* kWellKnownPrefix = "64:ff9b::/96";
// The private /24 tayga's documentation uses; natlab checks that it meets no
// subnet of the lab.
inline constexpr const char* kDefaultNat64Pool = "192.168.255.0/24";
// The TUN device tayga reads and writes in the node's namespace.
inline constexpr const char* kNat64Device = "nat64";

struct Nat64Side {
    Cidr prefix;             // /96: IPv4 address a.b.c.d is PREFIX::a.b.c.d
    Cidr pool;               // tayga's dynamic pool, an inside network of the NAT
    IpAddress ipv4_address;  // tayga's own, the pool's first host (its ICMPv4 errors)
    // tayga's own IPv6 address, the source of the ICMPv6 errors it sends:
    // fd64:: and its IPv4 address, as the well-known prefix may not embed a
    // private one (tayga refuses it).
    IpAddress ipv6_address;
    bool operator==(const Nat64Side&) const = default;

    bool well_known() const { return prefix == Cidr::parse(kWellKnownPrefix); }
};

}  // namespace natlab
