#pragma once
// Checks a link's conditions and resolves them into one LinkCondition per
// direction: the preset's values, then the link's keys, then each `from`'s.
#include <string>
#include <utility>
#include <vector>

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

// `key=value` settings over `base` (natlab set, and the journal's records):
// each key as on a link, "none" removes it. Problems go to `problems`, and
// the keys they name are left as in `base`.
using ConditionSettings = std::vector<std::pair<std::string, std::string>>;
LinkCondition apply_condition_settings(const LinkCondition& base, const ConditionSettings& settings,
                                       std::vector<std::string>& problems);
// "delay 40ms loss 1%" (describe_condition's words) back into settings.
ConditionSettings settings_of_words(const std::string& words);

}  // namespace natlab
