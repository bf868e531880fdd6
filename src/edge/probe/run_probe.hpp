#pragma once
// One probe of a live lab: a spare address on the server node, the probe
// server, the client tests in the host, and everything removed afterwards.
#include <chrono>

#include "core/probe/conformance.hpp"
#include "core/probe/probe_report.hpp"

namespace natlab {

ProbeReport run_probe(const std::string& lab, const ProbeTarget& target,
                      std::chrono::milliseconds timeout);

// verify's conformance checks of the NAT in front of target.host (the
// server's alternate address and the host's spare one added for them).
ConformanceObservations run_conformance(const std::string& lab, const ProbeTarget& target,
                                        const NatBehaviour& declared,
                                        std::chrono::milliseconds timeout);

// natlab probe: the NAT in front of `host` of the live lab, measured under
// the lab's lock, over `family` (IPv6: the NAT's IPv6 side). An empty
// `server`: where probe_target puts it.
ProbeReport probe_host(const std::string& lab, const std::string& host, const std::string& server,
                       std::chrono::milliseconds timeout, Family family = Family::ipv4);

}  // namespace natlab
