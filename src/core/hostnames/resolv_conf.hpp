#pragma once
// The resolver configuration of a lab's nodes, laid over /etc/resolv.conf
// on each node. Pure.
//
// Without a DNS server in the lab, its names are in the hosts file
// (hosts_file.hpp). The host's name servers are out of a node's reach (a lab
// has no link to the host), so a lookup sent to them would wait out every
// timeout; 127.0.0.1 answers at once that nothing listens, and a server a
// user starts on a node's loopback is used. One file serves every node.
//
// With one ('dns:' on a node), each node asks it at the addresses it reaches
// (lab_resolver.hpp), and 'search LAB' makes NODE the server's NODE.LAB. A
// node that reaches none of them asks 127.0.0.1, and its file says why.
#include <string>

#include "core/topology/lab.hpp"

namespace natlab {

// The lab-wide file, of a lab without a DNS server.
std::string resolv_conf(const Lab& lab);

// Node `node`'s file (the lab-wide one when the lab has no DNS server).
std::string resolv_conf(const Lab& lab, const LabNode& node);

}  // namespace natlab
