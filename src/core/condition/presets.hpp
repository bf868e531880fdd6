#pragma once
// Named link conditions ("preset: 4g"), each a pair of directions: what the
// subscriber's end (a link's first endpoint) sends, and what it receives.
// Their values and sources are in README. Pure.
#include <string>
#include <vector>

#include "core/condition/condition.hpp"

namespace natlab {

struct LinkPreset {
    std::string name;
    LinkCondition up;    // sent by the link's first endpoint
    LinkCondition down;  // sent by its second
    std::string source;  // where the values come from
};

const std::vector<LinkPreset>& link_presets();
const LinkPreset* find_link_preset(const std::string& name);
std::vector<std::string> link_preset_names();

}  // namespace natlab
