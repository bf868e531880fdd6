#include "edge/use_cases/restore_routes.hpp"

#include "edge/system/error.hpp"

namespace natlab {
namespace {

bool reached_through(const LabInterface& iface, const LabRoute& route) {
    if (!route.device.empty()) return route.device == iface.name;
    if (!route.gateway) return false;
    for (const auto& a : iface.addresses)
        if (a.network().contains(*route.gateway)) return true;
    return false;
}

}  // namespace

void restore_routes_through(RouteSocket& route, const LabNode& node, const LabInterface& iface,
                            const std::string& end) {
    for (const auto& r : node.routes) {
        if (!reached_through(iface, r)) continue;
        try {
            route.add_route(r.destination, r.gateway, r.device,
                            "restoring the route to " + r.destination.str() + " via " + end);
        } catch (const KernelError& e) {
            if (std::string(e.what()).find("File exists") == std::string::npos) throw;
        }
    }
}

}  // namespace natlab
