#pragma once
// Changing a live lab's links: their conditions (natlab set) and whether
// they are up (natlab link). Each change is made in the kernel, then
// journalled, so that status judges against it and clean knows the lab.
#include <string>

#include "core/condition/validate_condition.hpp"

namespace natlab {

// `end` is "NODE:IFACE": what that end sends gets `settings` over its
// condition now (or over none, with `clear`). Returns the new condition.
// Throws InvalidInput for an unknown end or a bad setting, before anything changes.
LinkCondition set_link_condition(const std::string& lab, const std::string& end,
                                 const ConditionSettings& settings, bool clear);

void set_link_up(const std::string& lab, const std::string& end, bool up);

}  // namespace natlab
