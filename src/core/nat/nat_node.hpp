#pragma once
// A NAT node as its rules see it: the interface it translates on, the
// address it translates to, the networks behind it, and what it does.
// Validation fills it in from the node's links; the renderer reads it as is.
#include <optional>
#include <string>
#include <vector>

#include "core/nat/behaviour.hpp"
#include "core/nat/ipv6_side.hpp"
#include "core/nat/nat64_side.hpp"
#include "core/util/ip.hpp"

namespace natlab {

// An outside interface and the address it translates to (its first IPv4 one).
struct NatOutside {
    std::string interface;
    IpAddress address;
    bool operator==(const NatOutside&) const = default;
};

struct NatNode {
    std::string outside;                // the interface facing the internet (the first written)
    IpAddress external_address;         // the outside interface's first IPv4 address
    std::vector<Cidr> inside_networks;  // IPv4 networks on every other interface
    NatBehaviour behaviour;
    // What crosses it over IPv6, when its outside interface has an IPv6 address.
    std::optional<Ipv6Side> ipv6;
    // Its NAT64, when 'nat64:' turns it on: the pool is among inside_networks.
    std::optional<Nat64Side> nat64;
    // Every interface but the outsides: what isolate-inside keeps apart.
    std::vector<std::string> inside_interfaces;
    // The other outside interfaces ('outside: [gpd0, en0]'): routes choose
    // the one a packet leaves by, and each translates to its own address
    // with the same behaviour and bindings of its own.
    std::vector<NatOutside> further_outsides;
    bool operator==(const NatNode&) const = default;
};

}  // namespace natlab
