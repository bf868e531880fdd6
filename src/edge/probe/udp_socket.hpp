#pragma once
// A bound IPv4 UDP socket (RAII) for the probe's client and server.
#include <chrono>
#include <cstdint>
#include <optional>
#include <set>
#include <span>
#include <vector>

#include "core/probe/stun.hpp"
#include "edge/system/fd.hpp"

namespace natlab {

struct Datagram {
    Endpoint from;
    std::vector<std::uint8_t> bytes;
};

class UdpSocket {
  public:
    // Binds in the calling thread's current namespace; port 0 = any free one.
    explicit UdpSocket(const Endpoint& bind_to);
    // Binds to a free port picked at random from [first, last], so that probes
    // run one after another do not meet each other's bindings, and none of
    // `avoid` (ports the NAT could not give the flow as they are).
    static UdpSocket random_port(int first, int last, const IpAddress& ip = {},
                                 const std::set<std::uint16_t>& avoid = {});

    void send(const Endpoint& to, std::span<const std::uint8_t> bytes);
    // Waits up to `timeout` for one datagram.
    std::optional<Datagram> receive(std::chrono::milliseconds timeout);
    Endpoint local() const;
    int fd() const { return fd_.get(); }

  private:
    UniqueFd fd_;
};

// The source address the kernel picks for packets to `destination`.
IpAddress local_address_towards(const Endpoint& destination);

}  // namespace natlab
