#include "core/util/mac.hpp"

#include <cstdio>

namespace natlab {
namespace {

int hex_digit(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

// FNV-1a: small, stable across builds and machines (std::hash is neither
// promised to be).
std::uint64_t fnv1a(std::uint64_t hash, std::string_view text) {
    for (unsigned char c : text) {
        hash ^= c;
        hash *= 0x100000001b3ULL;
    }
    // A separator, so that ("ab", "c") and ("a", "bc") differ.
    hash ^= 0xff;
    return hash * 0x100000001b3ULL;
}

}  // namespace

std::optional<MacAddress> MacAddress::parse(std::string_view text) {
    if (text.size() != 17) return std::nullopt;
    MacAddress mac;
    for (std::size_t i = 0; i < 6; ++i) {
        int high = hex_digit(text[i * 3]), low = hex_digit(text[i * 3 + 1]);
        if (high < 0 || low < 0 || (i < 5 && text[i * 3 + 2] != ':')) return std::nullopt;
        mac.bytes[i] = static_cast<std::uint8_t>(high * 16 + low);
    }
    return mac;
}

std::string MacAddress::str() const {
    char text[18];
    std::snprintf(text, sizeof text, "%02x:%02x:%02x:%02x:%02x:%02x", bytes[0], bytes[1], bytes[2],
                  bytes[3], bytes[4], bytes[5]);
    return text;
}

MacAddress derived_mac(std::string_view lab, std::string_view node, std::string_view interface,
                       unsigned salt) {
    std::uint64_t hash = 0xcbf29ce484222325ULL;
    for (auto part : {lab, node, interface}) hash = fnv1a(hash, part);
    hash = fnv1a(hash, std::to_string(salt));
    MacAddress mac;
    mac.bytes[0] = 0x02;
    for (std::size_t i = 1; i < 6; ++i) mac.bytes[i] = static_cast<std::uint8_t>(hash >> (8 * i));
    return mac;
}

}  // namespace natlab
