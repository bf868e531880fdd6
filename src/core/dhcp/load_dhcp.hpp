#pragma once
// A router's or NAT's `dhcp:` key: read as written, checked later.
#include <vector>

#include "core/dhcp/dhcp_spec.hpp"
#include "core/input/yaml_reader.hpp"

namespace natlab {

// "dhcp: lan", "dhcp: [lan, guest]" or "dhcp: {lan: {range: A-B, lease: 2m}}"
// (an interface's settings may be left out: "dhcp: {lan: }").
std::vector<DhcpServeSpec> load_dhcp(YamlReader& reader, const YAML::Node& dhcp);

}  // namespace natlab
