#pragma once
// The NAT types natlab matrix compares, as `--types` names them. Pure.
#include <optional>
#include <string>
#include <vector>

namespace natlab {

struct MatrixType {
    std::string key;  // names its nodes: host "prc-1" behind "nat-prc-1"
    std::string
        label;  // as the table shows it: "port-restricted-cone", "ad/ei", "symmetric+sequential"
    // The NAT keys it sets, as a topology file writes them.
    std::optional<std::string> type, mapping, filtering, port_allocation, firewall, preset;
    // An IPv6 side of its own (firewall, routed, nptv6), and the firewall's
    // filtering; matrix --ipv6 alone compares these.
    std::optional<std::string> ipv6_mode, ipv6_filtering;
};

// A comma-separated list of: the classic names (full-cone, restricted-cone,
// port-restricted-cone, symmetric) and masquerade; RFC 4787 pairs
// MAPPING/FILTERING in short (ei, ad, apd: "ad/ei"); each optionally with one
// of +preserve, +sequential, +random (port allocation) or +bare (no
// firewall); a preset's name (home-router, cgnat, ...); "classic" (the four
// classic types) and "all". IPv6 sides: firewall (RFC 6092's default
// filtering), firewall/ei, firewall/ad, firewall/apd, firewall+bare (the
// node's firewall off), routed, nptv6; "ipv6" (kIpv6MatrixTypes). Throws
// InvalidInput naming the item and what would be right.
std::vector<MatrixType> parse_matrix_types(const std::string& list);

// What "ipv6" stands for, and matrix --ipv6 compares by default: the three
// firewalls, a routed carrier, and a symmetric NAT66 that fails against some.
inline constexpr const char* kIpv6MatrixTypes =
    "firewall/ei,firewall/ad,firewall/apd,routed,symmetric";

// What "all" stands for.
inline constexpr const char* kAllMatrixTypes =
    "classic,masquerade,masquerade+bare,ad/ei,ad/ad,ad/apd,apd/ei,apd/ad,symmetric+sequential";

}  // namespace natlab
