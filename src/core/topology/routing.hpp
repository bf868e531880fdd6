#pragma once
// Route gateways written as addresses, link-local addresses with their
// interface ("fe80::1%wan") or node names, resolved against the node's
// connected subnets and its neighbours' declared link-local addresses.
#include <vector>

#include "core/topology/addressing.hpp"
#include "core/topology/lab.hpp"

namespace natlab {

std::vector<LabRoute> resolve_routes(const Topology& topo, const NodeSpec& node,
                                     const Addressing& addressing, Diagnostics& diag);

}  // namespace natlab
