#pragma once
// A host interface that takes its IPv4 address by DHCP: busybox's udhcpc in
// the host's namespace, whose hook (a two-line script natlab writes) calls
// natlab back ('natlab __dhcp-event LAB NODE IFACE EVENT'), which applies the
// lease through netlink and records it. Pure.
#include <string>

#include "core/daemon/daemon_spec.hpp"

namespace natlab {

inline constexpr const char* kDhcpClientProgram = "udhcpc";
// The hidden subcommand udhcpc's hook runs.
inline constexpr const char* kDhcpEventCommand = "__dhcp-event";

struct DhcpClient {
    std::string lab, node, interface;
    // Its files (the planner names them: names/paths.hpp): udhcpc's hook,
    // the lease the hook records, udhcpc's log.
    std::string hook, lease, log;
};

std::string render_dhcp_hook(const DhcpClient& client);

// udhcpc in the foreground on the interface, asking again every second (3 at
// first, then after 2 s) until a server answers; ready once the hook has
// written the lease, so `create` returns with every lease in place.
DaemonSpec dhcp_client_daemon(const DhcpClient& client);

}  // namespace natlab
