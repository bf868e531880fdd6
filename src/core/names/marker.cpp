#include "core/names/marker.hpp"

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
    return LabMarker{alias.substr(kLabKey.size(), node_at - kLabKey.size()),
                     alias.substr(node_at + kNodeKey.size())};
}

}  // namespace natlab
