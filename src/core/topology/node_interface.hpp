#pragma once
// NODE:IFACE, one interface of one node: how a topology file names a link's
// end, how commands take one (capture, link, set) and how messages name one.
#include <compare>
#include <optional>
#include <string>
#include <string_view>

namespace natlab {

struct NodeInterface {
    std::string node, interface;

    std::string str() const { return node + ":" + interface; }
    // Split at the first ':'; nullopt for text without one (a bare node name).
    // The interface may be empty ("nat0:"), or hold another ':' ("a:b:c"):
    // whoever takes the text checks the names.
    static std::optional<NodeInterface> parse(std::string_view text) {
        auto colon = text.find(':');
        if (colon == std::string_view::npos) return std::nullopt;
        return NodeInterface{std::string(text.substr(0, colon)),
                             std::string(text.substr(colon + 1))};
    }
    auto operator<=>(const NodeInterface&) const = default;
};

// Whether a command's target names a link end (NODE:IFACE) or a node.
inline bool names_interface(std::string_view target) {
    return target.find(':') != std::string_view::npos;
}

}  // namespace natlab
