#pragma once
// The probe's client: the RFC 5780 tests run from inside a host namespace
// against a ProbeServer, reporting what arrived and what did not.
#include <chrono>
#include <set>
#include <string>

#include "core/probe/classify.hpp"

namespace natlab {

struct ProbeServerAddresses {
    Endpoint primary;    // primary address, primary port
    Endpoint alternate;  // alternate address, alternate port
};

// Opens its sockets inside `host_netns_fd`, on none of the ports in
// `avoid_ports` (held at the NAT already). `timeout` bounds each test that
// waits for an answer which may rightly never come.
ProbeObservations observe_nat(int host_netns_fd, const std::string& host_netns,
                              const ProbeServerAddresses& server,
                              const std::set<std::uint16_t>& avoid_ports,
                              std::chrono::milliseconds timeout);

}  // namespace natlab
