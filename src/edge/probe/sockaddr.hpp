#pragma once
// Endpoint <-> sockaddr_in, for the probe's UDP and TCP sockets.
#include <arpa/inet.h>
#include <netinet/in.h>

#include <cstring>

#include "core/util/ip.hpp"

namespace natlab {

inline sockaddr_in to_sockaddr(const Endpoint& e) {
    sockaddr_in sa{};
    sa.sin_family = AF_INET;
    sa.sin_port = htons(e.port);
    std::memcpy(&sa.sin_addr, e.ip.bytes.data(), 4);
    return sa;
}

inline Endpoint from_sockaddr(const sockaddr_in& sa) {
    Endpoint e;
    std::memcpy(e.ip.bytes.data(), &sa.sin_addr, 4);
    e.port = ntohs(sa.sin_port);
    return e;
}

}  // namespace natlab
