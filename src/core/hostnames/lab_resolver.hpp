#pragma once
// The lab's DNS server (a node's 'dns:' key) as the lab's names see it: what
// it answers for, and at which of its addresses each node asks it. Pure.
#include <vector>

#include "core/dns/dns_server.hpp"
#include "core/topology/lab.hpp"

namespace natlab {

// Every name the server answers for: each node as NODE.LAB with the
// addresses its hosts-file line would list (hosts_file.hpp), a container's
// machine name as MACHINE.LAB, then the names the user declares.
std::vector<DnsName> lab_dns_names(const Lab& lab);

// The server's addresses `node` reaches (reach.hpp), at most three (glibc
// reads no more): one on a subnet the node shares with it first, then its
// addresses in their hosts-file order. Empty when the lab has no server, or
// the node reaches none of its addresses.
std::vector<IpAddress> resolver_addresses(const Lab& lab, const LabNode& node);

}  // namespace natlab
