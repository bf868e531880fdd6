#pragma once
#include <string>
#include <vector>

namespace natlab {

// Writes net.* sysctls through /proc/sys, which resolves per network
// namespace of the calling thread: call it inside a NetnsGuard.
void write_sysctl(const std::string& key, const std::string& value, const std::string& what);
// The same through the procfs whose root is `proc_root` (AT_FDCWD: /proc).
void write_sysctl_at(int proc_root, const std::string& key, const std::string& value,
                     const std::string& what);

// The keys that a new, empty network namespace of this kernel does not have
// (it is made and dropped on a thread of its own). A per-interface key
// (net.ipv4.conf.eth0.rp_filter) is looked for under 'default': the
// interface exists only once the lab is made.
std::vector<std::string> missing_sysctls(const std::vector<std::string>& keys,
                                         const std::vector<std::string>& interfaces);

}  // namespace natlab
