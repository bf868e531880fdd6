#pragma once
// Changing a live lab's links: their conditions (natlab set) and whether
// they are up (natlab link). Each change is journalled as begun before the
// kernel is touched and as made after, so that status judges against it, and
// one a killed natlab leaves unfinished is finished by the next.
#include <string>

#include "core/condition/validate_condition.hpp"
#include "core/lifecycle/state_format.hpp"
#include "core/topology/lab.hpp"

namespace natlab {

// `end` is "NODE:IFACE": what that end sends gets `settings` over its
// condition now (or over none, with `clear`). Returns the new condition.
// Throws InvalidInput for an unknown end or a bad setting, before anything changes.
LinkCondition set_link_condition(const std::string& lab, const std::string& end,
                                 const ConditionSettings& settings, bool clear);

void set_link_up(const std::string& lab, const std::string& end, bool up);

// Makes a link change an earlier natlab began and did not finish (killed
// midway) in the kernel again, as `after` (the lab with it) declares it, and
// journals it as made.
void finish_link_change(const std::string& lab, const Lab& after, const LiveChange& change);

}  // namespace natlab
