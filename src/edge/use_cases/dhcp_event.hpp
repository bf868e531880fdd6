#pragma once
// What udhcpc's hook does (natlab __dhcp-event): the lease applied to the
// interface through netlink, in the namespace the hook runs in (the host's:
// udhcpc's own), recorded under /run/natlab/LAB/dhcp/, and the lab's names
// and description rewritten with it.
#include <string>

namespace natlab {

// `event` is udhcpc's: deconfig (no lease: the address and route go),
// bound and renew (the lease in udhcpc's environment is applied), nak and
// leasefail (nothing to do: a deconfig or a new discover follows). Returns
// a line for udhcpc's log.
std::string handle_dhcp_event(const std::string& lab, const std::string& node,
                              const std::string& ifname, const std::string& event);

}  // namespace natlab
