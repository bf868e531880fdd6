#pragma once
#include <string>

namespace natlab {

// Writes net.* sysctls through /proc/sys, which resolves per network
// namespace of the calling thread: call it inside a NetnsGuard.
void write_sysctl(const std::string& key, const std::string& value, const std::string& what);

}  // namespace natlab
