#pragma once
// Checks a nat node's behaviour settings and resolves them into a
// NatBehaviour: every value parsed, forward targets turned into addresses.
#include <optional>

#include "core/topology/lab.hpp"

namespace natlab {

// `lab` holds every node with its addresses; `nat` is the node being checked.
NatBehaviour check_nat_behaviour(const NodeSpec& spec, const LabNode& nat, const Lab& lab,
                                 Diagnostics& diag);

// The IPv4 networks on a NAT's inside interfaces (all but the outside one).
std::vector<Cidr> inside_networks(const LabNode& nat);
// The first IPv4 address of the outside interface: what the NAT translates to.
std::optional<IpAddress> external_address(const LabNode& nat);

}  // namespace natlab
