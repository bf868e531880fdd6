#include "edge/system/root.hpp"

#include <unistd.h>

#include <fstream>
#include <stdexcept>

namespace natlab {

void require_root(const std::string& command) {
    if (::geteuid() != 0) {
        throw std::runtime_error(
            command + " needs root: it works on network namespaces; run it as root (e.g. sudo)");
    }
}

bool in_user_namespace() {
    // The machine's own maps every uid to itself: "0 0 4294967295".
    std::ifstream map("/proc/self/uid_map");
    unsigned long inside = 0, outside = 0, count = 0;
    return !(map >> inside >> outside >> count) || inside != 0 || outside != 0 ||
           count != 4294967295UL;
}

}  // namespace natlab
