#pragma once
// natlab verify: every NAT node of a live lab probed from the first host
// behind it, under the lab's lock, and judged (core/probe/verdict).
#include <chrono>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/util/ip.hpp"

namespace natlab {

// {"lab", "nats": [verdicts], "all_match"}. A NAT that cannot be probed is
// reported as not measured and does not hide the others' results. `quick`:
// the STUN probe alone, without the conformance checks. `only`: these NAT
// nodes (InvalidInput for a name that is not one), else every one.
// `family` IPv6: each NAT's IPv6 side, of the NATs that have one (InvalidInput
// when none has, or a NAT named has none).
nlohmann::json verify_lab(const std::string& lab, const std::string& server,
                          std::chrono::milliseconds timeout, bool quick,
                          const std::vector<std::string>& only, Family family = Family::ipv4);

}  // namespace natlab
