#pragma once
// Reading what a namespace holds, for status, list and clean-up.
#include <optional>
#include <string>
#include <vector>

#include "core/names/marker.hpp"
#include "edge/kernel/netlink.hpp"

namespace natlab {

// The natlab marker on the namespace's loopback, if the namespace exists and has one.
std::optional<LabMarker> read_marker(const std::string& netns);

NetnsSnapshot snapshot_netns(const std::string& netns);

}  // namespace natlab
