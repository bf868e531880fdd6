#pragma once
// The changes a natlab serve page may ask for, as the commands make them
// (and journal them): a link end down or up, a NAT's keys, rebind, flush,
// a punch between two hosts.
#include <nlohmann/json.hpp>
#include <string>

namespace natlab {

// {"action": "link", "end": "nat0:wan", "state": "down"}
// {"action": "set", "nat": "nat0", "settings": {"type": "symmetric"}}
// {"action": "rebind", "nat": "nat0"}   {"action": "flush", "nat": "nat0"}
// {"action": "punch", "a": "c0", "b": "c1"}
// Returns what was done in words; throws with what to fix.
std::string apply_page_change(const std::string& lab, const nlohmann::json& change);

}  // namespace natlab
