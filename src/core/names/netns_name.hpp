#pragma once
// What a lab node's namespace (and its container machine) is called:
// "<lab>-<node>", so `ip netns exec two-nat-c0 ...` works as usual.
#include <string>
#include <string_view>

namespace natlab {

inline std::string netns_name(std::string_view lab, std::string_view node) {
    return std::string(lab) + "-" + std::string(node);
}

}  // namespace natlab
