#pragma once
// The probe's one way of asking across a NAT that may drop packets: send,
// and send again every 50 ms, until the awaited datagram arrives or time is
// up (a lost packet must not look like filtering).
#include <chrono>
#include <functional>
#include <optional>
#include <span>

#include "edge/probe/udp_socket.hpp"

namespace natlab {

// Sends `bytes` from `from` to `to` until `at` receives a datagram that
// `awaited` accepts; that datagram, or none within `timeout`.
std::optional<Datagram> resend_until(UdpSocket& from, const Endpoint& to,
                                     std::span<const std::uint8_t> bytes, UdpSocket& at,
                                     const std::function<bool(const Datagram&)>& awaited,
                                     std::chrono::milliseconds timeout);

}  // namespace natlab
