#include "edge/use_cases/restore_routes.hpp"

#include "edge/system/error.hpp"

namespace natlab {
namespace {

// Runs `add`, taking "File exists" for done.
template <class Add>
void unless_there(Add add) {
    try {
        add();
    } catch (const KernelError& e) {
        if (std::string(e.what()).find("File exists") == std::string::npos) throw;
    }
}

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
        unless_there([&] {
            route.add_route(r.destination, r.gateway, r.device,
                            "restoring the route to " + r.destination.str() + " via " + end);
        });
    }
}

void restore_after_up(RouteSocket& route, const LabNode& node, const LabInterface& iface,
                      const std::string& end) {
    std::vector<Cidr> addresses = iface.addresses;
    if (iface.link_local) addresses.push_back(*iface.link_local);
    for (const auto& a : addresses)
        unless_there(
            [&] { route.add_address(iface.name, a, "restoring " + a.str() + " on " + end); });
    restore_routes_through(route, node, iface, end);
    for (const auto& p : node.nd_proxy)
        if (p.interface == iface.name)
            route.add_proxy_neighbour(iface.name, p.address,
                                      "answering again for " + p.address.str() + " on " + end);
}

}  // namespace natlab
