#pragma once
// Checks a nat node's behaviour settings and resolves them into a
// NatBehaviour: every value parsed, forward targets turned into addresses.
#include <string>
#include <vector>

#include "core/input/diagnostics.hpp"
#include "core/nat/behaviour.hpp"
#include "core/nat/nat_spec.hpp"

namespace natlab {

// A node of the lab and its addresses: what a forward target may name.
struct NodeAddresses {
    std::string node;
    std::vector<Cidr> addresses;
};

// `inside_networks` are the NAT's own; forward targets must lie on them.
NatBehaviour check_nat_behaviour(const NatSpec& spec, const std::string& nat_name,
                                 const std::vector<Cidr>& inside_networks,
                                 const std::vector<NodeAddresses>& lab_nodes, Diagnostics& diag);

}  // namespace natlab
