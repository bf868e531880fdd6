#pragma once
// A link condition in words and as JSON, tc's units: "delay 40ms jitter 5ms
// loss 1% rate 20mbit". Pure.
#include <nlohmann/json.hpp>
#include <string>

#include "core/condition/condition.hpp"

namespace natlab {

// "" for an empty condition.
std::string describe_condition(const LinkCondition& c);
// {"delay": "40ms", "jitter": "5ms", "loss": "1%", "rate": "20mbit", ...}: only what is set.
nlohmann::json condition_json(const LinkCondition& c);

}  // namespace natlab
