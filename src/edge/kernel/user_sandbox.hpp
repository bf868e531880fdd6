#pragma once
// natlab run without root: the process becomes root of a new, unprivileged
// user namespace with its own network and mount namespaces, where it may build
// a whole lab (namespaces, veth, routes, nftables, conntrack) as root would.
// Nothing made there is visible outside, and it all vanishes with the last
// process inside: there is nothing to clean up on the host, ever.
namespace natlab {

// Throws with the reason and the fix (e.g. the sysctl that disables
// unprivileged user namespaces) when the machine does not allow it.
void enter_user_sandbox();

}  // namespace natlab
