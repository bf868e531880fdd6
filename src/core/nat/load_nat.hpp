#pragma once
// The NAT behaviour keys of a nat node: read as written, checked later.
#include <optional>
#include <string>
#include <vector>

#include "core/input/yaml_reader.hpp"
#include "core/nat/nat_spec.hpp"

namespace natlab {

// The node keys that describe NAT behaviour (type, mapping, filtering, ...).
const std::vector<std::string>& nat_behaviour_keys();

void load_nat(YamlReader& reader, const YAML::Node& node_body, NatSpec& nat);
// The node's 'ipv6:' key, when written.
std::optional<Ipv6Spec> load_ipv6_side(YamlReader& reader, const YAML::Node& node_body);

}  // namespace natlab
