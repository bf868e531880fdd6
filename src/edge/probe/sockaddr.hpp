#pragma once
// Endpoint <-> sockaddr, IPv4 or IPv6, for the probe's UDP and TCP sockets.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <cstring>

#include "core/util/ip.hpp"

namespace natlab {

inline int address_family(Family family) {
    return family == Family::ipv4 ? AF_INET : AF_INET6;
}

// A socket address of either family, with the length the kernel expects.
struct SocketAddress {
    sockaddr_storage storage{};
    socklen_t length = sizeof storage;

    sockaddr* get() { return reinterpret_cast<sockaddr*>(&storage); }
    const sockaddr* get() const { return reinterpret_cast<const sockaddr*>(&storage); }
};

inline SocketAddress to_sockaddr(const Endpoint& e) {
    SocketAddress sa;
    if (e.ip.family == Family::ipv4) {
        auto* in = reinterpret_cast<sockaddr_in*>(&sa.storage);
        in->sin_family = AF_INET;
        in->sin_port = htons(e.port);
        std::memcpy(&in->sin_addr, e.ip.bytes.data(), 4);
        sa.length = sizeof(sockaddr_in);
    } else {
        auto* in6 = reinterpret_cast<sockaddr_in6*>(&sa.storage);
        in6->sin6_family = AF_INET6;
        in6->sin6_port = htons(e.port);
        std::memcpy(&in6->sin6_addr, e.ip.bytes.data(), 16);
        sa.length = sizeof(sockaddr_in6);
    }
    return sa;
}

inline Endpoint from_sockaddr(const SocketAddress& sa) {
    Endpoint e;
    if (sa.storage.ss_family == AF_INET6) {
        const auto* in6 = reinterpret_cast<const sockaddr_in6*>(&sa.storage);
        e.ip.family = Family::ipv6;
        std::memcpy(e.ip.bytes.data(), &in6->sin6_addr, 16);
        e.port = ntohs(in6->sin6_port);
    } else {
        const auto* in = reinterpret_cast<const sockaddr_in*>(&sa.storage);
        std::memcpy(e.ip.bytes.data(), &in->sin_addr, 4);
        e.port = ntohs(in->sin_port);
    }
    return e;
}

// The unspecified address of `family` (0.0.0.0 or ::): bind to any address.
inline IpAddress any_address(Family family) {
    IpAddress ip;
    ip.family = family;
    return ip;
}

}  // namespace natlab
