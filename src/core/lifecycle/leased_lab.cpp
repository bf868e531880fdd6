#include "core/lifecycle/leased_lab.hpp"

#include <algorithm>

namespace natlab {

void apply_leases(Lab& lab, const std::vector<DhcpLease>& leases) {
    for (const auto& lease : leases) {
        for (auto& node : lab.nodes) {
            if (node.name != lease.node) continue;
            LabInterface* iface = node.find_interface(lease.interface);
            if (!iface || iface->dhcp_server.empty()) continue;
            iface->lease = lease;
            // IPv4 first, as an interface lists a static one.
            iface->addresses.insert(iface->addresses.begin(), lease.address);
            bool routed = std::any_of(node.routes.begin(), node.routes.end(), [](const auto& r) {
                return r.destination.prefix == 0 && r.destination.address.family == Family::ipv4;
            });
            if (lease.router && !routed) {
                Cidr any;
                any.address.family = Family::ipv4;
                node.routes.push_back({any, *lease.router, ""});
            }
        }
    }
}

std::vector<std::pair<std::string, std::string>> dhcp_clients(const Lab& lab) {
    std::vector<std::pair<std::string, std::string>> out;
    for (const auto& node : lab.nodes)
        for (const auto& iface : node.interfaces)
            if (!iface.dhcp_server.empty()) out.emplace_back(node.name, iface.name);
    return out;
}

}  // namespace natlab
