#pragma once
// Route gateways written as addresses or node names, resolved against the
// node's connected subnets.
#include <vector>

#include "core/topology/addressing.hpp"
#include "core/topology/lab.hpp"

namespace natlab {

std::vector<LabRoute> resolve_routes(const Topology& topo, const NodeSpec& node,
                                     const Addressing& addressing, Diagnostics& diag);

}  // namespace natlab
