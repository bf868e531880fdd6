#pragma once
// The routes prefix delegation would give a dual-stack lab. An ISP routes the
// prefix it delegates to a home router towards that router; a lab written as
// the home network is has no such route, so IPv6 behind a router or NAT node
// would be unreachable from upstream. For every forwarding node whose IPv6
// default route points at a neighbour, that neighbour (and every node further
// up the chain of default routes) gets a route to each IPv6 subnet behind it.
// IPv4 is left as written: a NAT hides what is behind it. Pure.
#include "core/topology/lab.hpp"

namespace natlab {

void add_delegated_routes(Lab& lab);

}  // namespace natlab
