#pragma once
// A router's or NAT's `dhcp:` key as written: the interfaces it serves DHCP
// on, each with an optional range and lease time. Values stay text with their
// positions; validation parses them against the interface's subnet.
#include <optional>
#include <string>

#include "core/input/marked.hpp"

namespace natlab {

struct DhcpServeSpec {
    Marked<std::string> interface;
    std::optional<Marked<std::string>> range;  // "192.168.122.2-192.168.122.254"
    std::optional<Marked<std::string>> lease;  // "1h", "2m", "90s", "3600"
};

}  // namespace natlab
