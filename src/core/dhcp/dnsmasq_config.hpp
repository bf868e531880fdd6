#pragma once
// A router's or NAT's DHCP service: one dnsmasq in the node's namespace, DHCP
// only (no DNS: port=0), serving each interface the node lists under `dhcp:`.
// Pure: its configuration and how it is started.
#include <string>
#include <vector>

#include "core/daemon/daemon_spec.hpp"
#include "core/dhcp/dhcp_server.hpp"

namespace natlab {

inline constexpr int kDhcpServerPort = 67;
inline constexpr const char* kDhcpServerProgram = "dnsmasq";

struct DhcpService {
    std::string lab, node;
    std::vector<DhcpServer> servers;
    // The name servers handed out; empty: none (the lab runs no resolver its
    // hosts could reach yet; hosts resolve the lab's names from their hosts file).
    std::vector<IpAddress> resolvers;
    // Its files (the planner names them: names/paths.hpp): configuration,
    // the leases dnsmasq keeps, its log.
    std::string config, leases, log;
};

std::string render_dnsmasq_config(const DhcpService& service);

// dnsmasq in the foreground with that configuration, ready once it binds UDP
// port 67; its leases file is kept across restarts, so clients keep their
// addresses when `natlab set` changes a range that still holds them.
DaemonSpec dhcp_server_daemon(const DhcpService& service);

}  // namespace natlab
