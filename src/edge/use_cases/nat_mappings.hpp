#pragma once
// natlab mappings: a NAT node's translation table as it is now, from its
// conntrack table and the bindings its rules have learnt (nft maps).
#include <string>
#include <vector>
#include "core/nat/allocation_log.hpp"

#include "core/conntrack/mapping_table.hpp"
#include "core/conntrack/port_usage.hpp"
#include "core/portmap/port_mapping_lease.hpp"

namespace natlab {

struct NatMappings {
    NatBehaviour behaviour;
    std::vector<MappingRow> rows;
    PeerNames names;                 // endpoints named as the NAT sees them
    std::optional<PortUsage> ports;  // none for the kernel's plain masquerade
    IpAddress external;              // the NAT's outside address
    // Mappings inside hosts asked for (UPnP, NAT-PMP, PCP), when it offers that.
    std::vector<PortMappingLease> requested;
    // The IPv6 side, when the NAT has one, and its table (ipv6_mapping_table).
    std::optional<Ipv6Side> ipv6;
    std::vector<MappingRow> ipv6_rows;
};

// The NAT's port usage and refused flows, read in the calling thread's
// namespace (a NAT node's, entered with a NetnsGuard).
std::optional<PortUsage> read_port_usage(const NatNode& nat);

// miniupnpd's lease file: what it has handed out now (it rewrites the file
// on every change). None yet: no file.
std::vector<PortMappingLease> read_port_mapping_leases(const std::string& lab,
                                                       const std::string& node);

// The port numbers NAT node `node` of live lab `lab` cannot hand out as they
// are now (see ports_in_use).
std::set<std::uint16_t> read_ports_in_use(const std::string& lab, const std::string& node);

// Throws InvalidInput when `node` is not a NAT node of the live lab.
NatMappings read_mappings(const std::string& lab, const std::string& node);

// The NAT's allocation log (its port blocks, since its rules were last
// loaded: the lab's state was last written then). Throws InvalidInput when
// the NAT has no port-block, which is when there is no such log to keep.
AllocationLog read_allocation_log(const std::string& lab, const std::string& node);

}  // namespace natlab
