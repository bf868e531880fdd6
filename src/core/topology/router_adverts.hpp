#pragma once
// Router advertisements: which interfaces of routers and NATs send them
// ('ra: [lan]'), with which prefixes, and which hosts configure their IPv6
// address from them ("phone:eth0 slaac"). Pure.
#include <map>
#include <string>
#include <vector>

#include "core/input/diagnostics.hpp"
#include "core/topology/addressing.hpp"
#include "core/topology/lab.hpp"
#include "core/topology/model.hpp"

namespace natlab {

struct RouterAdvertPlan {
    std::map<std::string, std::vector<RouterAdvertisement>> by_node;
    // Each SLAAC interface: the prefix it takes an address of, and the
    // node that advertises it.
    std::map<InterfaceKey, std::pair<Cidr, std::string>> slaac;
};

// Checks each 'ra:' (the node's interface, with an IPv6 subnet) and each
// 'slaac' endpoint (a host's, on a link where a node advertises).
RouterAdvertPlan check_router_adverts(const Topology& topo, const Addressing& addressing,
                                      Diagnostics& diag);

}  // namespace natlab
