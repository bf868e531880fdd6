#pragma once
// Writes the sysctls of a lab's many namespaces.
//
// Every lookup of /proc/sys/net compares the "net" entries of all the
// namespaces that procfs has ever looked up (one entry each, all under one
// parent): in a lab of 1000 routers a sysctl cost 0.9 ms, a quarter of the
// time create spent. So each thread that writes them keeps a procfs instance
// of its own, mounted nowhere (fsmount: no mount namespace shows it), and
// replaces it after every few dozen namespaces, so that no lookup compares
// more than that. Where a procfs cannot be made (inside some containers) it
// writes through the machine's /proc as before.
//
// (It was one thread in a mount namespace of its own that every step handed
// its sysctl to: the hand-over cost twice the write, 0.16 s of a 1000-NAT
// create.)
#include <string>

namespace natlab {

// Writes `key` (net.ipv4.ip_forward) in the namespace of `netns_fd`, which
// the calling thread enters and leaves again; throws what write_sysctl
// throws.
void write_netns_sysctl(int netns_fd, const std::string& netns, const std::string& key,
                        const std::string& value, const std::string& what);

}  // namespace natlab
