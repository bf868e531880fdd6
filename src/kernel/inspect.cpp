#include "kernel/inspect.hpp"

#include "kernel/netns.hpp"

namespace natlab {

std::optional<LabMarker> parse_marker(const std::string& alias) {
    const std::string lab_key = "natlab lab=", node_key = " node=";
    if (alias.rfind(lab_key, 0) != 0) return std::nullopt;
    auto node_at = alias.find(node_key);
    if (node_at == std::string::npos) return std::nullopt;
    return LabMarker{alias.substr(lab_key.size(), node_at - lab_key.size()), alias.substr(node_at + node_key.size())};
}

std::optional<LabMarker> read_marker(const std::string& netns) {
    UniqueFd fd = open_netns(netns);
    if (!fd) return std::nullopt;
    try {
        NetnsGuard guard(fd.get(), netns);
        RouteSocket route;
        for (const auto& link : route.links())
            if (link.name == "lo") return parse_marker(link.alias);
    } catch (const std::exception&) {
        // A name under /run/netns that cannot be entered is not natlab's.
    }
    return std::nullopt;
}

NetnsSnapshot snapshot_netns(const std::string& netns) {
    NetnsSnapshot snap;
    UniqueFd fd = open_netns(netns);
    if (!fd) return snap;
    NetnsGuard guard(fd.get(), netns);
    RouteSocket route;
    snap.exists = true;
    snap.links = route.links();
    snap.addresses = route.addresses();
    snap.routes = route.routes();
    return snap;
}

}  // namespace natlab
