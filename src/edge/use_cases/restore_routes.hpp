#pragma once
// The kernel drops a node's routes through an interface when the interface
// goes down or loses the address their gateway is reached by; a live change
// that does either puts them back.
#include <string>

#include "core/topology/lab.hpp"
#include "edge/kernel/netlink.hpp"

namespace natlab {

// Adds again each of `node`'s routes through `iface`: whose gateway it
// reaches, or that name it (one the kernel still holds is left as it is). `end` names the interface
// in messages.
void restore_routes_through(RouteSocket& route, const LabNode& node, const LabInterface& iface,
                            const std::string& end);

}  // namespace natlab
