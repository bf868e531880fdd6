#include "edge/kernel/inspect.hpp"

#include "edge/kernel/netns.hpp"

namespace natlab {

std::optional<LabMarker> read_marker(const std::string& netns) {
    UniqueFd fd = open_netns(netns);
    if (!fd) return std::nullopt;
    try {
        NetnsGuard guard(fd.get(), netns);
        // lo alone: a dump of every link costs a router of a thousand links
        // a thousand messages.
        return parse_marker(RouteSocket().link("lo", "reading the marker of " + netns).alias);
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
    auto conditions = route.conditions();
    for (auto& link : snap.links)
        if (auto it = conditions.find(link.index); it != conditions.end())
            link.condition = it->second;
    snap.addresses = route.addresses();
    snap.routes = route.routes();
    snap.proxy_neighbours = route.proxy_neighbours();
    return snap;
}

}  // namespace natlab
