#pragma once
// natlab rules: a NAT node's live nftables table, and putting back the
// declared one after experiments by hand.
#include <string>

namespace natlab {

// The table as the kernel holds it now, with its sets' contents. Throws
// InvalidInput for a node that is not a NAT, and when the table is gone.
std::string live_rules(const std::string& lab, const std::string& node);

// Replaces the table with the declared one, flushing the node's conntrack
// table and learnt bindings (the executor's ApplyRuleset step), under the
// lab's lock; a change a killed natlab left unfinished is finished first.
void reload_rules(const std::string& lab, const std::string& node);

}  // namespace natlab
