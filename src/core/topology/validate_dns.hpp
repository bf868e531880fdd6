#pragma once
// The lab's DNS server from the nodes' 'dns:' keys: at most one node has it,
// and no declared name is a node's own (NODE.LAB).
#include <optional>

#include "core/dns/dns_server.hpp"
#include "core/topology/lab.hpp"
#include "core/topology/model.hpp"

namespace natlab {

// `lab` is built but for its server: the server's node must hold an address.
std::optional<LabDns> resolve_dns(const Topology& topo, const Lab& lab, Diagnostics& diag);

}  // namespace natlab
