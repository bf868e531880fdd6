#pragma once
// A NAT node's port-mapping service: miniupnpd (UPnP IGD, NAT-PMP, PCP) in the
// NAT's namespace, configured by natlab. Pure: what it is told and the
// nftables table it writes its mappings into.
#include <string>
#include <vector>

#include "core/nat/nat_node.hpp"
#include "core/topology/lab.hpp"

namespace natlab {

struct PortMappingService {
    std::string lab, node;
    std::vector<MappingProtocol> protocols;
    std::string outside;              // the NAT's outside interface
    IpAddress external_address;       // what clients are told
    std::vector<std::string> inside;  // interfaces it listens on
    std::vector<Cidr> inside_networks;
    std::string config, leases, log, pid_file;  // under /run/natlab/<lab>/port-mapping/
    bool operator==(const PortMappingService&) const = default;
};

// The service of NAT node `node`: it listens on every interface but the
// outside one.
PortMappingService port_mapping_service(const std::string& lab, const LabNode& node);

// The table miniupnpd's rules go in, beside natlab's own: its DNAT runs before
// natlab's prerouting chain (dstnat - 10), so a mapped port reaches its host
// before natlab's firewall would drop what nothing asked for.
inline constexpr const char* kPortMappingTable = "natlab_portmap";
std::string render_port_mapping_table(const PortMappingService& service);

// STUN is how miniupnpd 2.3 learns the external address it may hand out when
// the outside address is a shared or private one (100.64.0.0/10, 10/8, ...):
// it refuses those otherwise. natlab answers it with stund on the NAT itself.
inline constexpr int kStunPort = 3478;
// The programs the service runs as, each in the NAT's namespace, and the
// Debian package of each.
struct PortMappingProgram {
    const char* name;
    const char* package;
};
inline constexpr PortMappingProgram kPortMappingPrograms[] = {{"miniupnpd", "miniupnpd-nftables"},
                                                              {"stund", "stun-server"}};
std::vector<std::string> stun_server_argv(const PortMappingService& service);
std::vector<std::string> miniupnpd_argv(const PortMappingService& service);
std::string render_miniupnpd_config(const PortMappingService& service);

// The log line miniupnpd writes when its last service listens, and the one
// that says it will not map anything.
std::string miniupnpd_ready_line(const PortMappingService& service);
inline constexpr const char* kMiniupnpdRefused = "Port forwarding is now disabled";

}  // namespace natlab
