#pragma once
// What a command run against a lab learns about it: a JSON description
// (written to the lab's state directory) and NATLAB_* environment variables,
// both derived from the validated lab. Pure.
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "core/topology/lab.hpp"

namespace natlab {

// Version of the description's shape; bumped only when a field changes meaning
// or disappears (new fields may be added without a bump).
inline constexpr int kDescriptionVersion = 1;

struct DescriptionContext {
    std::string source;       // absolute path of the topology file
    std::string natlab;       // absolute path of the natlab executable
    std::string description;  // where the description file is written
    bool rootless = false;    // the lab lives in natlab run's own user namespace
};

nlohmann::json describe_lab(const Lab& lab, const DescriptionContext& context);

using Environment = std::vector<std::pair<std::string, std::string>>;

// NATLAB_LAB, NATLAB_NODES, NATLAB_NODE_<NODE>_NETNS, ..._IPV4 ... in a fixed
// order. Throws InvalidInput when two names map to one variable (c-0, c_0).
Environment lab_environment(const Lab& lab, const DescriptionContext& context);

// "c-0" -> "C_0": the part of a variable name that stands for a node or interface.
std::string env_name_part(const std::string& name);

}  // namespace natlab
