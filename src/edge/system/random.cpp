#include "edge/system/random.hpp"

#include <sys/random.h>
#include <unistd.h>

#include <stdexcept>

namespace natlab {

std::uint32_t random_u32() {
    std::uint32_t value = 0;
    // Never fails for 4 bytes once the pool is ready; the pid is a fallback
    // that still tells parallel processes apart.
    if (::getrandom(&value, sizeof value, 0) != sizeof value)
        value = static_cast<std::uint32_t>(::getpid());
    return value;
}

std::string random_hex(std::size_t bytes) {
    std::string raw(bytes, '\0');
    if (::getrandom(raw.data(), raw.size(), 0) != static_cast<ssize_t>(raw.size()))
        throw std::runtime_error("the kernel gave no random bytes (getrandom)");
    static const char* hex = "0123456789abcdef";
    std::string out;
    for (unsigned char b : raw) {
        out += hex[b >> 4];
        out += hex[b & 15];
    }
    return out;
}

}  // namespace natlab
