#pragma once
// The condition keys of a link: read as written, checked later.
#include <string>
#include <vector>

#include "core/condition/condition_spec.hpp"
#include "core/input/yaml_reader.hpp"

namespace natlab {

// Every key a link may hold for its conditions (delay, ..., preset, from).
const std::vector<std::string>& link_condition_keys();

void load_link_condition(YamlReader& reader, const YAML::Node& link, LinkConditionSpec& spec);

}  // namespace natlab
