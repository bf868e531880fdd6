#pragma once
// Waiting for the kernel to configure an address itself: an interface that
// takes its IPv6 address from router advertisements (SLAAC).
#include <string>

#include "core/util/ip.hpp"
#include "edge/kernel/netlink.hpp"

namespace natlab {

// Returns once `ifname` holds an address of `prefix`; throws KernelError after 10 s.
void await_address(RouteSocket& route, const std::string& ifname, const Cidr& prefix,
                   const std::string& what);

}  // namespace natlab
