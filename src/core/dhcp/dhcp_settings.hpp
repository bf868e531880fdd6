#pragma once
// A served interface's DHCP keys changed live (natlab set LAB NODE
// dhcp.IFACE.range=A-B dhcp.IFACE.lease=2m): parsed, written into the
// journal as words and laid over the node's `dhcp:` key. Pure.
#include <string>
#include <utility>
#include <vector>

#include "core/dhcp/dhcp_spec.hpp"

namespace natlab {

// "lan.range" -> "192.168.122.100-192.168.122.199"; the value none goes
// back to the default.
using DhcpSettings = std::vector<std::pair<std::string, std::string>>;

// The prefix `natlab set` keys of DHCP start with.
inline constexpr const char* kDhcpKeyPrefix = "dhcp.";

// "lan.range=A-B lan.lease=2m", and back.
std::string dhcp_settings_words(const DhcpSettings& settings);
DhcpSettings dhcp_settings_of_words(const std::string& words);

// Each setting over the spec of its interface; a key that is not
// IFACE.range or IFACE.lease, or names an interface the node does not serve,
// is a problem in words.
void apply_dhcp_settings(std::vector<DhcpServeSpec>& specs, const std::string& node,
                         const DhcpSettings& settings, std::vector<std::string>& problems);

}  // namespace natlab
