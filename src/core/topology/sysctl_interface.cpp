#include "core/topology/sysctl_interface.hpp"

namespace natlab {
namespace {

// Where the interface starts in `key`, or npos when the key is about none.
std::size_t interface_start(const std::string& key) {
    for (const char* table :
         {"net.ipv4.conf.", "net.ipv6.conf.", "net.ipv4.neigh.", "net.ipv6.neigh."}) {
        std::string prefix = table;
        if (key.rfind(prefix, 0) == 0 && key.find('.', prefix.size()) != std::string::npos)
            return prefix.size();
    }
    return std::string::npos;
}

}  // namespace

std::string sysctl_interface(const std::string& key) {
    auto start = interface_start(key);
    if (start == std::string::npos) return "";
    return key.substr(start, key.find('.', start) - start);
}

std::string sysctl_on_interface(const std::string& key, const std::string& ifname) {
    auto start = interface_start(key);
    if (start == std::string::npos) return key;
    return key.substr(0, start) + ifname + key.substr(key.find('.', start));
}

}  // namespace natlab
