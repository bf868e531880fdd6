#include "edge/use_cases/dhcp_event.hpp"

#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>

#include "core/dhcp/dhcp_lease.hpp"
#include "core/names/paths.hpp"
#include "core/util/invalid_input.hpp"
#include "edge/kernel/netlink.hpp"
#include "edge/system/text_file.hpp"
#include "edge/use_cases/dhcp_leases.hpp"
#include "edge/use_cases/state_store.hpp"

namespace natlab {
namespace {

Cidr default_route() {
    Cidr any;
    any.address.family = Family::ipv4;
    return any;
}

// The lease's address and route taken away (a lease lost, or replaced by
// one of another address).
void withdraw(RouteSocket& nl, const DhcpLease& lease, const std::string& ifname,
              const std::string& where) {
    if (lease.router)
        nl.delete_route(default_route(), lease.router, ifname,
                        "removing the default route via " + lease.router->str() + " of " + where);
    for (const auto& a : nl.addresses())
        if (a.address == lease.address) {
            nl.delete_address(ifname, lease.address,
                              "removing " + lease.address.str() + " from " + where);
            break;
        }
}

std::int64_t now_s() {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

}  // namespace

std::string handle_dhcp_event(const std::string& lab, const std::string& node,
                              const std::string& ifname, const std::string& event) {
    const std::string where = node + ":" + ifname + " of lab " + lab;
    const std::string record = dhcp_client_file(lab, node, ifname, ".lease");
    std::optional<DhcpLease> held = parse_lease(read_text_file(record));
    RouteSocket nl;
    if (event == "deconfig") {
        if (!held) return "natlab: " + where + ": no lease";
        withdraw(nl, *held, ifname, where);
        std::filesystem::remove(record);
        publish_dhcp_leases(lab);
        return "natlab: " + where + ": lease of " + held->address.str() + " gone";
    }
    if (event != "bound" && event != "renew") return "natlab: " + where + ": " + event;
    std::string problem;
    auto lease = lease_from_udhcpc(
        node, ifname,
        [](const char* name) -> std::optional<std::string> {
            const char* value = std::getenv(name);
            return value ? std::optional<std::string>(value) : std::nullopt;
        },
        now_s(), problem);
    if (!lease) throw InvalidInput("natlab: " + where + ": " + problem);
    if (held && held->address != lease->address) withdraw(nl, *held, ifname, where);
    auto lifetime = static_cast<std::uint32_t>(lease->lease_s > 0 ? lease->lease_s : 0xffffffff);
    nl.set_leased_address(ifname, lease->address, lifetime,
                          "adding the leased " + lease->address.str() + " to " + where);
    if (lease->router)
        nl.set_dhcp_route(default_route(), *lease->router, ifname,
                          "adding the default route via " + lease->router->str() + " of " + where);
    replace_text_file(record, lease_json(*lease).dump(2) + "\n");
    // During create the leases are published once, when all are in place.
    if (auto state = load_state(lab); state && state->complete) publish_dhcp_leases(lab);
    return "natlab: " + where + ": " + event + " " + lease->address.str() + " for " +
           std::to_string(lease->lease_s) + " s" +
           (lease->router ? ", router " + lease->router->str() : "");
}

}  // namespace natlab
