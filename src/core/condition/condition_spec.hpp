#pragma once
// A link's conditions as written: values stay text with their positions, so
// that validation can point at each. Keys on the link apply to both
// directions; `from: {NODE:IFACE: {...}}` gives what that end sends its own.
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/input/marked.hpp"

namespace natlab {

struct ConditionSpec {
    std::optional<Marked<std::string>> delay, jitter, loss, rate, reorder, duplicate, corrupt,
        limit;
};

// Each key of one direction with its member, in the order keys are printed.
using ConditionField = std::optional<Marked<std::string>> ConditionSpec::*;
const std::vector<std::pair<std::string, ConditionField>>& condition_fields();

struct DirectionSpec {
    Marked<std::string> endpoint;  // "c0:eth0": the end that sends
    ConditionSpec condition;
};

struct LinkConditionSpec {
    std::optional<Marked<std::string>> preset;
    ConditionSpec both;
    std::vector<DirectionSpec> from;
};

}  // namespace natlab
