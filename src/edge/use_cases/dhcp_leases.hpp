#pragma once
// The leases a lab's DHCP clients hold, as their hook recorded them under
// /run/natlab/LAB/dhcp/, and the lab's files that show them.
#include <string>
#include <vector>

#include "core/dhcp/dhcp_lease.hpp"
#include "core/lifecycle/loaded_lab.hpp"
#include "core/topology/lab.hpp"

namespace natlab {

// Every lease recorded for the lab's clients (none for a client without one).
std::vector<DhcpLease> read_dhcp_leases(const Lab& lab);

// The live lab as its journal says it is now, with its leases applied.
LoadedLab load_leased_lab(const std::string& lab);

// Rewrites the lab's hosts file and its description (lab.json, once
// written) with the leases held now, each replaced whole; under the lab's
// lease lock, so that hooks running at once never lose each other's lease.
void publish_dhcp_leases(const std::string& lab);

}  // namespace natlab
