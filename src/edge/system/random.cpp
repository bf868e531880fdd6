#include "edge/system/random.hpp"

#include <sys/random.h>
#include <unistd.h>

namespace natlab {

std::uint32_t random_u32() {
    std::uint32_t value = 0;
    // Never fails for 4 bytes once the pool is ready; the pid is a fallback
    // that still tells parallel processes apart.
    if (::getrandom(&value, sizeof value, 0) != sizeof value)
        value = static_cast<std::uint32_t>(::getpid());
    return value;
}

}  // namespace natlab
