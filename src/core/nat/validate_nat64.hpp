#pragma once
// Checks a nat node's 'nat64:' key and resolves its NAT64: the prefix, the
// pool, and tayga's own addresses. Pure.
#include <optional>
#include <string>
#include <vector>

#include "core/input/diagnostics.hpp"
#include "core/nat/nat64_side.hpp"
#include "core/nat/nat_spec.hpp"
#include "core/nat/validate_nat.hpp"

namespace natlab {

struct Nat64Input {
    const std::optional<Nat64Spec>& written;
    const std::string& nat_name;
    std::vector<Cidr> inside_ipv4;  // the NAT's IPv4 networks behind it
    std::vector<Cidr> inside_ipv6;  // its IPv6 networks behind it: where the IPv6 hosts are
    const std::vector<NodeAddresses>& lab_nodes;
};

// nullopt when the node has no NAT64 (no key, or 'nat64: false').
std::optional<Nat64Side> check_nat64(const Nat64Input& in, Diagnostics& diag);

// Why tayga 0.9.2 does not translate `address` under the well-known prefix
// (RFC 6052 section 3.1 keeps it for global addresses), or "" when it does:
// "documentation (203.0.113.0/24, RFC 5737)".
std::string non_global_ipv4(const IpAddress& address);

}  // namespace natlab
