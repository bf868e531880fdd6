#pragma once
// The names of a lab's nodes, as every node of the lab resolves them: one
// hosts file for the whole lab, laid over /etc/hosts on each node. Pure.
//
// A node is NODE.LAB and NODE, for every address it holds, IPv4 and IPv6
// (no link-local ones): a NAT's outside interface first (its public address,
// NATLAB_NODE_<NODE>_IPV4), then its other interfaces in order. One file
// serves every node, so its order cannot suit each asker; getaddrinfo (ping,
// curl, 'getent ahosts') sorts what it finds by RFC 6724 from the asking
// node, which puts an address on a link the two share first.
#include <string>
#include <vector>

#include "core/topology/lab.hpp"
#include "core/util/ip.hpp"

namespace natlab {

// The addresses the node's name resolves to, in the file's order.
std::vector<IpAddress> name_addresses(const LabNode& node);

// The names of `node` on each of its lines: NODE.LAB, NODE, and for a node
// that runs a container its machine name (<lab>-<node>, the container's
// hostname, unless a booted system sets another) unless another node of the
// lab has that name.
std::vector<std::string> node_names(const Lab& lab, const LabNode& node);

// The file's text: localhost, then a line per address of every node; in a
// lab with a DNS server localhost alone, so that every name is asked of it.
std::string hosts_file(const Lab& lab);

}  // namespace natlab
