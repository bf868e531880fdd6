#pragma once
// The kernel drops a node's routes through an interface when the interface
// goes down or loses the address their gateway is reached by; taking it down
// also flushes its IPv6 addresses and proxy entries. A live change that does
// either puts them back.
#include <string>

#include "core/topology/lab.hpp"
#include "edge/kernel/netlink.hpp"

namespace natlab {

// Adds again each of `node`'s routes through `iface`: whose gateway it
// reaches, or that name it (one the kernel still holds is left as it is).
// `end` names the interface in messages.
void restore_routes_through(RouteSocket& route, const LabNode& node, const LabInterface& iface,
                            const std::string& end);

// After `iface` comes back up: its addresses (IPv6 ones went with the
// interface; IPv4 ones stay and are left as they are), the routes through
// it, and the neighbour solicitations the node answers there.
void restore_after_up(RouteSocket& route, const LabNode& node, const LabInterface& iface,
                      const std::string& end);

}  // namespace natlab
