#pragma once
// ND proxy: a router or NAT node answering neighbour solicitations on one
// interface for hosts behind it that hold addresses of that interface's IPv6
// subnet, as a home router does when its ISP hands it one /64 on the WAN link
// and the LAN takes its addresses out of that same /64. Hosts on a link take
// every address of their link's prefixes to be on the link and ask for it
// there; when that address sits behind a node on another of its links, only
// the node can answer, so the layout works only where it does ('nd-proxy').
// Pure.
#include <map>
#include <string>
#include <vector>

#include "core/input/diagnostics.hpp"
#include "core/topology/addressing.hpp"
#include "core/topology/lab.hpp"
#include "core/topology/model.hpp"

namespace natlab {

// What one node does for the hosts it answers for.
struct NdProxyPlan {
    std::vector<ProxyNeighbour> entries;
    // Each answered host's address/128 through the interface it is on: the
    // node's own link to the shared prefix would otherwise claim it.
    std::vector<LabRoute> routes;
};

// Checks every router and NAT node: an address its neighbours on one link
// ask for there, held behind it on another link, needs that first link's
// interface in its 'nd-proxy'; each interface listed there must be the
// node's, have an IPv6 subnet and answer for someone. Returns what each
// node answers for, by node name.
std::map<std::string, NdProxyPlan> check_nd_proxy(const Topology& topo,
                                                  const Addressing& addressing, Diagnostics& diag);

}  // namespace natlab
