#pragma once
// The lab's DNS server as the daemon natlab starts: unbound in the server
// node's namespace (core/dns/unbound_conf), answering from the lab's zone
// (core/dns/dns_zone), with its files under /run/natlab/<lab>/dns/. Pure.
#include "core/daemon/daemon_spec.hpp"
#include "core/topology/lab.hpp"

namespace natlab {

inline constexpr const char* kDnsProgram = "unbound";

// The lab must have a server (lab.dns).
DaemonSpec dns_daemon(const Lab& lab);

// The addresses the server listens on: every address of its node.
std::vector<IpAddress> dns_listen_addresses(const Lab& lab);

}  // namespace natlab
