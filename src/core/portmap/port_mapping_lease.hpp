#pragma once
// The mappings a NAT's port-mapping service handed out, as its lease file
// holds them: one line "UDP:7000:10.0.1.2:7000:EXPIRES:description" each.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/nat/behaviour.hpp"
#include "core/util/ip.hpp"

namespace natlab {

struct PortMappingLease {
    Protocol protocol = Protocol::udp;
    int external_port = 0;
    Endpoint internal;
    std::int64_t expires = 0;  // seconds since the epoch; 0: until deleted
    std::string description;   // what the client called it
    bool operator==(const PortMappingLease&) const = default;
};

// Lines that are not leases are skipped (a file being rewritten).
std::vector<PortMappingLease> parse_port_mapping_leases(std::string_view text);

// "udp 100.64.1.100:7000 -> c0 10.0.1.2:7000 for 3597 s, 'NAT-PMP 7000 udp'":
// for mappings; `host` names the internal address ("" when no node has it).
std::string describe_lease(const PortMappingLease& lease, const IpAddress& external,
                           const std::string& host, std::int64_t now);

}  // namespace natlab
