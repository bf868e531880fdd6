#pragma once
// Checks a nat node's 'ipv6:' key and resolves its IPv6 side: the mode, and
// the behaviour each mode takes from the key or from the node's IPv4 NAT.
#include <optional>
#include <string>
#include <vector>

#include "core/input/diagnostics.hpp"
#include "core/nat/ipv6_side.hpp"
#include "core/nat/nat_spec.hpp"
#include "core/nat/validate_nat.hpp"

namespace natlab {

struct Ipv6SideInput {
    const std::optional<Ipv6Spec>& written;
    const std::string& nat_name;
    const std::string& outside;
    NatBehaviour ipv4;  // the node's IPv4 NAT, checked
    std::optional<IpAddress> external_address;
    std::vector<Cidr> inside_networks;
    const std::vector<NodeAddresses>& lab_nodes;
};

// nullopt when the node has no IPv6 and none is written.
std::optional<Ipv6Side> check_ipv6_side(const Ipv6SideInput& in, Diagnostics& diag);

}  // namespace natlab
