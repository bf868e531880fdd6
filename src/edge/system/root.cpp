#include "edge/system/root.hpp"

#include <unistd.h>

#include <stdexcept>

namespace natlab {

void require_root(const std::string& command) {
    if (::geteuid() != 0) {
        throw std::runtime_error(
            command + " needs root: it works on network namespaces; run it as root (e.g. sudo)");
    }
}

}  // namespace natlab
