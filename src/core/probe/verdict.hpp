#pragma once
// natlab verify's judgement of one NAT node: what its topology declares
// against what a probe measured, property by property. Pure.
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/probe/classify.hpp"
#include "core/topology/lab.hpp"

namespace natlab {

// mapping, filtering, hairpinning, port_preservation: compared in this order.
const std::vector<std::string>& verified_properties();

// {"nat", "type", "declared", "host", "measured", "mismatches", "match"}.
nlohmann::json verdict_json(const LabNode& nat, const std::string& host,
                            const NatMeasurement& measured);
// A NAT that could not be probed, and why: {"nat", "type", "declared", "error", "match": false}.
nlohmann::json unmeasured_json(const LabNode& nat, const std::string& why);

}  // namespace natlab
