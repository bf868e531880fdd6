#pragma once
// NAT tables in the kernel's own words, for a comparison of the live rules
// with the declared ones (core/status/rules_difference): both as nft lists
// them.
#include <string>
#include <vector>

namespace natlab {

class NftContext;

// The NAT tables (ip, then ip6) of the namespace `nft` was made in, or ""
// when there are none.
std::string listed_nat_table(NftContext& nft);

// Each NAT ruleset (render_nat_tables: one table or two) as this kernel
// lists it once loaded:
// all are loaded in one scratch namespace, each table under a name of its
// own, and go with it.
std::vector<std::string> listed_rulesets(const std::vector<std::string>& rulesets);

}  // namespace natlab
