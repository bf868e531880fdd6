#pragma once
// Named NAT presets: the equipment people meet, each written as the RFC 4787
// keys it stands for. A preset fills the keys the node does not write, so
// anything written beside it wins. Pure.
#include <string>
#include <utility>
#include <vector>

#include "core/input/diagnostics.hpp"
#include "core/nat/nat_spec.hpp"

namespace natlab {

struct NatPreset {
    const char* name;
    const char* summary;                                    // one line, for README and messages
    std::vector<std::pair<const char*, const char*>> keys;  // as the file writes them
    // Its IPv6 side where the node writes none: the mode, and a firewall's filtering.
    const char* ipv6_mode = "firewall";
    const char* ipv6_filtering = "endpoint-independent";
};

// The preset named `name`, or nullptr.
const NatPreset* find_nat_preset(const std::string& name);

const std::vector<NatPreset>& nat_presets();
std::vector<std::string> nat_preset_names();

// Lays the preset `spec.preset` names over `spec`: each of its keys that the
// node does not write (nor an equivalent: `type` stands for mapping and
// filtering, `port-preservation` for port-allocation) is set, marked at the
// preset's position. An unknown preset is reported and changes nothing.
void apply_nat_preset(NatSpec& spec, const std::string& nat_name, Diagnostics& diag);

// Whether `value` was filled in by the preset rather than written.
bool from_preset(const NatSpec& spec, const Marked<std::string>& value);

}  // namespace natlab
