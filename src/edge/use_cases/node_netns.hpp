#pragma once
#include <string>

#include "edge/system/fd.hpp"

namespace natlab {

// The lab node's network namespace, open; throws when it is missing.
UniqueFd open_node_netns(const std::string& lab, const std::string& node);

}  // namespace natlab
