#pragma once
// A NAT node's IPv6 rules: `table ip6 natlab`, beside the IPv4 table of the
// same name. Pure, like render_nft.
#include <string>

#include "core/nat/nat_node.hpp"

namespace natlab {

// The table's text; "" when the IPv6 side has no rules (routed, or a
// firewall turned off).
std::string render_ipv6_rules(const NatNode& nat);

// Both tables of the node, IPv4's first: what `status` compares and
// `rules` shows.
std::string render_nat_tables(const NatNode& nat);

// nft commands that empty the IPv6 table's learnt sets (see render_nat_reset).
std::string render_ipv6_reset(const NatNode& nat);

// The NAT66 side as a NatNode of IPv6 addresses: render_nat_rules() writes
// the same rules for it in the ip6 family, so each class means the same in both.
NatNode nat66_view(const NatNode& nat);

}  // namespace natlab
