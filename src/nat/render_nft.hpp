#pragma once
// A NAT node's nftables ruleset, rendered as text from the checked lab.
#include <string>

#include "topology/lab.hpp"

namespace natlab {

// The table natlab owns in every NAT namespace; nothing else is touched.
inline constexpr const char* kNatTable = "natlab";

std::string render_nat_rules(const LabNode& nat);

}  // namespace natlab
