#include "core/topology/sysctl_interface.hpp"

namespace natlab {

std::string sysctl_interface(const std::string& key) {
    for (const char* table :
         {"net.ipv4.conf.", "net.ipv6.conf.", "net.ipv4.neigh.", "net.ipv6.neigh."}) {
        std::string prefix = table;
        if (key.rfind(prefix, 0) != 0) continue;
        auto dot = key.find('.', prefix.size());
        return dot == std::string::npos ? "" : key.substr(prefix.size(), dot - prefix.size());
    }
    return "";
}

}  // namespace natlab
