#pragma once
// The entry natlab makes for a node in /etc/netns, iproute2's folder of
// per-namespace files that `ip netns exec NAME` lays over /etc: a symbolic
// link /etc/netns/<lab>-<node> -> /run/natlab/<lab>/etc (or .../etc/<node>
// in a lab with a DNS server). /etc outlives a
// reboot and /run does not, so the files stay in /run and only the link is
// in /etc. Its target names the lab, which makes it its own ownership
// marker: clean removes an entry only when its target is the one natlab
// gives that lab, and its name is that lab's for a node.
#include <optional>
#include <string>

#include "core/names/marker.hpp"

namespace natlab {

inline constexpr const char* kNetnsEtcDir = "/etc/netns";

std::string netns_etc_path(const std::string& netns);
// What the links of a lab's nodes point at: the lab's directory of files,
// or in a lab with a DNS server, where each node has a resolv.conf of its
// own, the node's directory in it (`node` given).
std::string netns_etc_target(const std::string& lab, const std::string& node = "");
// The lab and node of the entry `name` whose link points at `target`;
// nullopt unless the target is exactly one natlab gives, and the name is
// that lab's for a node, both with names natlab accepts.
std::optional<LabMarker> netns_etc_owner(const std::string& name, const std::string& target);

}  // namespace natlab
