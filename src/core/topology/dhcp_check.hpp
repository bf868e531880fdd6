#pragma once
// DHCP in a lab: the interfaces routers and NATs serve (`dhcp:`) resolved
// against their subnets, and each endpoint written 'dhcp' matched with the
// server of its segment. Pure.
#include <map>
#include <string>
#include <vector>

#include "core/dhcp/dhcp_server.hpp"
#include "core/input/diagnostics.hpp"
#include "core/topology/addressing.hpp"
#include "core/topology/model.hpp"

namespace natlab {

struct DhcpLayout {
    std::map<std::string, std::vector<DhcpServer>> servers;  // by node
    std::map<InterfaceKey, std::string> clients;             // -> the serving node
};

// A served interface must be the node's and hold an IPv4 address; its range
// (by default everything above the highest address natlab gives out statically
// on the segment) must lie in that subnet, miss every static address and hold
// every client; its lease is 2 minutes to a week (1 hour by default). A
// segment has at most one server; a client is a host on a segment that has one.
DhcpLayout check_dhcp(const Topology& topo, const Addressing& addressing, Diagnostics& diag);

}  // namespace natlab
