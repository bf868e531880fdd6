#pragma once
// A NAT node's outside interfaces, one or several, and the view of the node
// that translates on one of them: what its rules for that outside are
// written from.
#include <string>
#include <string_view>
#include <vector>

#include "core/nat/nat_node.hpp"

namespace natlab {

// Every outside, the first written first.
std::vector<NatOutside> nat_outsides(const NatNode& nat);

bool is_nat_outside(const NatNode& nat, std::string_view ifname);

// The node as if it translated on outside `index` alone: that interface and
// address first, the others in further_outsides (its rules keep away from
// what arrives on them).
NatNode nat_on_outside(const NatNode& nat, std::size_t index);

// What the names of the nftables objects of outside `index` end with: ""
// for the first (a NAT with one outside is unchanged), "_en0" for en0.
std::string outside_object_suffix(const NatNode& nat, std::size_t index);

// "gpd0 (10.8.0.2), en0 (192.168.1.23)".
std::string describe_outsides(const NatNode& nat);

}  // namespace natlab
