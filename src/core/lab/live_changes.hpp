#pragma once
// A live lab as it is meant to be now: its topology with the changes made
// since create (natlab set, natlab link) laid over it, in the order made,
// so that status judges the kernel against them. Pure.
#include <vector>

#include "core/lab/state_format.hpp"
#include "core/topology/lab.hpp"

namespace natlab {

void apply_live_changes(Lab& lab, const std::vector<LiveChange>& changes);

}  // namespace natlab
