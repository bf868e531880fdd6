#pragma once
// Checks a link's conditions and resolves them into one LinkCondition per
// direction: the preset's values, then the link's keys, then each `from`'s.
#include <string>
#include <utility>

#include "core/condition/condition.hpp"
#include "core/condition/condition_spec.hpp"
#include "core/input/diagnostics.hpp"

namespace natlab {

struct DirectedConditions {
    LinkCondition a_sends, b_sends;  // a: the link's first endpoint
};

// `a` and `b` are the link's endpoints as written ("c0:eth0").
DirectedConditions check_link_condition(const LinkConditionSpec& spec, const std::string& a,
                                        const std::string& b, Diagnostics& diag);

}  // namespace natlab
