#pragma once
// A live lab with the leases its DHCP clients hold now: each leased address
// on its interface and the lease's default route on its node, so that what
// is built from the lab (its hosts file, its description and NATLAB_*
// variables, status, the graph) shows them. Pure.
#include <vector>

#include "core/dhcp/dhcp_lease.hpp"
#include "core/topology/lab.hpp"

namespace natlab {

// Leases of interfaces that take no address by DHCP are ignored.
void apply_leases(Lab& lab, const std::vector<DhcpLease>& leases);

// Every interface of the lab written 'dhcp', as (node, interface).
std::vector<std::pair<std::string, std::string>> dhcp_clients(const Lab& lab);

}  // namespace natlab
