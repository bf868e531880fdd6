#pragma once
// Segments (a link, or every link of a switch), their subnets, and the
// addresses of every interface: written ones checked, missing ones assigned
// in order from the segment's subnet.
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "core/input/diagnostics.hpp"
#include "core/topology/model.hpp"

namespace natlab {

struct InterfaceKey {
    std::string node, interface;
    auto operator<=>(const InterfaceKey&) const = default;
};

struct Addressing {
    std::map<InterfaceKey, std::vector<Cidr>> addresses;  // never link-local
    // IPv6 link-local addresses written on endpoints ("isp:wan fe80::1").
    std::map<InterfaceKey, Cidr> link_locals;
    // Which segment each interface is on; interfaces on one segment share an L2 domain.
    std::map<InterfaceKey, int> segment_of;
    // Interfaces with a written address that was refused (and reported).
    std::set<InterfaceKey> refused;
    // The other way round: a node's interfaces on a segment, by (node, segment).
    std::map<std::pair<std::string, int>, std::vector<std::string>> interfaces_on;
    // Every interface on a segment, in the order links mention them.
    std::map<int, std::vector<InterfaceKey>> on_segment;
    // Endpoints written with 'dhcp': no IPv4 address is assigned to them.
    std::map<InterfaceKey, SourcePos> dhcp_clients;
};

// Expects links whose endpoints name existing nodes (validate checks that first).
Addressing assign_addresses(const Topology& topo, Diagnostics& diag);

}  // namespace natlab
