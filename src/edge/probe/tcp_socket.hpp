#pragma once
// TCP sockets for verify's TCP mapping and filtering checks: every socket may
// share its port (SO_REUSEADDR, SO_REUSEPORT), as a host that listens on the
// port it connects out from must, and every wait is bounded.
#include <chrono>
#include <optional>

#include "core/util/ip.hpp"
#include "edge/system/fd.hpp"

namespace natlab {

// A non-blocking TCP socket bound (in the calling thread's namespace) to `local`.
UniqueFd tcp_bound(const Endpoint& local);
// A listening socket bound to `local`.
UniqueFd tcp_listener(const Endpoint& local);
// Starts connecting `socket` to `to`; connected() says whether it got there.
void tcp_start_connect(int socket, const Endpoint& to);
bool tcp_connected(int socket, std::chrono::milliseconds timeout);
// The next connection `listener` accepts within `timeout`: the socket and its peer.
struct Accepted {
    UniqueFd socket;
    Endpoint peer;
};
std::optional<Accepted> tcp_accept(int listener, std::chrono::milliseconds timeout);

}  // namespace natlab
