#pragma once
// One probe of a live lab: a spare address on the server node, the probe
// server, the client tests in the host, and everything removed afterwards.
#include <chrono>

#include "core/probe/classify.hpp"
#include "core/probe/probe_target.hpp"

namespace natlab {

struct ProbeReport {
    ProbeTarget target;
    Endpoint server_primary, server_alternate;
    Endpoint local;  // the client's first socket
    NatMeasurement measured;
};

ProbeReport run_probe(const std::string& lab, const ProbeTarget& target,
                      std::chrono::milliseconds timeout);

}  // namespace natlab
