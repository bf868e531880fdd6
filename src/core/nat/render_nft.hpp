#pragma once
// A NAT node's nftables ruleset, rendered as text from the checked node. Pure:
// the golden-file tests pin every behaviour's rules.
#include <string>
#include <vector>

#include "core/nat/nat_node.hpp"

namespace natlab {

// The table natlab owns in every NAT namespace; nothing else is touched.
inline constexpr const char* kNatTable = "natlab";

std::string render_nat_rules(const NatNode& nat);

// nft commands that empty the table's dynamic sets and maps: after a rule
// change they may hold bindings learnt from flows of the old rules.
std::string render_nat_reset(const NatNode& nat);

// The conntrack timeouts a NAT's binding lifetime needs, as sysctls; empty
// when the kernel's defaults already are what was declared.
std::vector<std::pair<std::string, std::string>> nat_sysctls(const NatNode& nat);

}  // namespace natlab
