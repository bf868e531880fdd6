#pragma once
// A NAT node's behaviour as written. Values stay text with their positions:
// validation parses them, so every message can point at the value.
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/input/marked.hpp"

namespace natlab {

// The node's `nat64:` key: "nat64: true" or a map of the prefix IPv6 hosts
// address IPv4 under and the IPv4 pool their addresses are translated into.
struct Nat64Spec {
    SourcePos pos;
    std::optional<Marked<std::string>> enabled;  // the scalar form: true or false
    std::optional<Marked<std::string>> prefix, pool;
};

struct NatSpec {
    std::optional<Marked<std::string>> type, mapping, filtering;
    std::optional<Marked<std::string>> hairpinning, port_preservation, port_allocation;
    std::optional<Marked<std::string>> port_range, firewall, isolate_inside;
    std::optional<Marked<std::string>> udp_unreplied, udp_established;          // seconds
    std::vector<std::pair<Marked<std::string>, Marked<std::string>>> forwards;  // udp/5000: c0:5000
    std::vector<Marked<std::string>> exclude;
    std::optional<Marked<std::string>> preset, pooling, port_block;
    std::optional<std::vector<Marked<std::string>>> pool;            // addresses, ranges, CIDRs
    std::optional<std::vector<Marked<std::string>>> allow_outbound;  // tcp/443
    // The inside host that owns the external address (a static one-to-one
    // NAT); "" from a preset: the NAT's only inside host.
    std::optional<Marked<std::string>> one_to_one;
    std::optional<std::vector<Marked<std::string>>> port_mapping;  // upnp, pcp, nat-pmp, all
    std::optional<Nat64Spec> nat64;
};

// The node's `ipv6:` key: a mode alone ("ipv6: nat66") or a map of the mode
// and the NAT keys that differ from the node's IPv4 ones.
struct Ipv6Spec {
    SourcePos pos;
    std::optional<Marked<std::string>> mode, prefix, echo;
    NatSpec nat;
};

}  // namespace natlab
