#pragma once
// The lease a host interface holds, as udhcpc's hook reports it and natlab
// records it (dhcp/NODE.IFACE.lease, JSON). Pure.
#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/util/ip.hpp"

namespace natlab {

struct DhcpLease {
    std::string node, interface;
    Cidr address;                      // with the subnet's prefix
    std::optional<IpAddress> router;   // the default route's gateway
    std::vector<IpAddress> resolvers;  // option 6, as handed out
    std::optional<IpAddress> server;   // the server's identifier
    std::string domain;                // option 15
    std::int64_t lease_s = 0;          // its lifetime
    std::int64_t obtained = 0;         // when bound or last renewed, Unix seconds
    bool operator==(const DhcpLease&) const = default;

    std::int64_t expires() const { return obtained + lease_s; }
};

nlohmann::json lease_json(const DhcpLease& lease);
// nullopt for anything natlab did not write.
std::optional<DhcpLease> parse_lease(const std::string& text);

// The lease in udhcpc's words: its hook's environment (ip, mask or subnet,
// router, dns, domain, lease, serverid), read through `env`. nullopt, with
// the reason in `problem`, when ip or the prefix is missing or malformed.
std::optional<DhcpLease> lease_from_udhcpc(
    const std::string& node, const std::string& interface,
    const std::function<std::optional<std::string>(const char*)>& env, std::int64_t now,
    std::string& problem);

}  // namespace natlab
