#pragma once
// verify's conformance checks, observed with real sockets: the inside ones in
// the host's namespace (from its own address and a spare one, two inside
// hosts), the outside ones in the server's namespace on its two addresses.
// What they saw is judged by core/probe/conformance.
#include <chrono>
#include <functional>
#include <optional>
#include <set>
#include <string>

#include "core/probe/conformance.hpp"

namespace natlab {

struct ConformanceSetup {
    int host_netns_fd = -1;
    std::string host_netns;
    int server_netns_fd = -1;
    std::string server_netns;
    IpAddress server_primary, server_alternate;  // both present on the server node
    std::optional<IpAddress> host_spare;         // present on the host, if any
    NatBehaviour declared;                       // for the lifetimes to wait for
    std::set<std::uint16_t> ports_in_use;        // at the NAT: inside ports avoid them
    // Reads them again before each check: the mappings of earlier checks
    // live on, and a port one holds towards a server is renumbered there.
    std::function<std::set<std::uint16_t>()> read_ports_in_use;
    int ownership_endpoints = 200;
    std::chrono::milliseconds timeout{500};
};

ConformanceObservations observe_conformance(const ConformanceSetup& setup);

}  // namespace natlab
