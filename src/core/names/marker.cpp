#include "core/names/marker.hpp"

#include "core/names/netns_name.hpp"
#include "core/topology/validate.hpp"

namespace natlab {

namespace {
const std::string kLabKey = "natlab lab=", kNodeKey = " node=";
}

std::string lab_marker(std::string_view lab, std::string_view node) {
    return kLabKey + std::string(lab) + kNodeKey + std::string(node);
}

std::optional<LabMarker> parse_marker(const std::string& alias) {
    if (alias.rfind(kLabKey, 0) != 0) return std::nullopt;
    auto node_at = alias.find(kNodeKey);
    if (node_at == std::string::npos) return std::nullopt;
    LabMarker marker{alias.substr(kLabKey.size(), node_at - kLabKey.size()),
                     alias.substr(node_at + kNodeKey.size())};
    // Anyone with CAP_NET_ADMIN in a namespace can write an alias: names that
    // natlab would never give are no marker of its own.
    if (!name_problem(marker.lab).empty() || !name_problem(marker.node).empty())
        return std::nullopt;
    return marker;
}

bool marks(const LabMarker& marker, const std::string& lab, const std::string& netns) {
    return marker.lab == lab && netns_name(marker.lab, marker.node) == netns;
}

}  // namespace natlab
