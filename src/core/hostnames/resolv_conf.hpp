#pragma once
// The resolver configuration every node of a lab reads, laid over
// /etc/resolv.conf on each node. Pure.
//
// A lab runs no DNS server of its own yet: its names are in the hosts file
// (hosts_file.hpp). The host's name servers are out of a node's reach (a lab
// has no link to the host), so a lookup sent to them would wait out every
// timeout; 127.0.0.1 answers at once that nothing listens, and a server a
// user starts on a node's loopback is used. 'search LAB' lets a DNS server
// added to the lab later answer short names.
#include <string>

#include "core/topology/lab.hpp"

namespace natlab {

std::string resolv_conf(const Lab& lab);

}  // namespace natlab
