#pragma once
// Changing what a live router or NAT serves by DHCP (natlab set LAB NODE
// dhcp.IFACE.range=A-B dhcp.IFACE.lease=2m): its dnsmasq is started again
// with the new pool, keeping its leases file. A client whose address the
// new range no longer holds is refused (NAK) at its next renewal and takes
// a new address, as on a network whose server was reconfigured.
#include <string>
#include <vector>

#include "core/dhcp/dhcp_server.hpp"
#include "core/dhcp/dhcp_settings.hpp"
#include "core/lifecycle/state_format.hpp"
#include "core/topology/lab.hpp"

namespace natlab {

// What the node serves now. Throws InvalidInput for a node that serves no
// DHCP, or settings the lab does not take, before anything changes.
std::vector<DhcpServer> set_dhcp(const std::string& lab, const std::string& node,
                                 const DhcpSettings& settings);

// Finishes a change of DHCP keys a killed natlab began: the server started
// again as `after` declares it, and the change journalled as made.
void finish_dhcp_change(const std::string& lab, const Lab& after, const PendingChange& pending);

}  // namespace natlab
