#pragma once
// The probe's STUN server: four sockets (two addresses x two ports) in one
// namespace, answering binding requests from the socket CHANGE-REQUEST asks
// for, on a thread of its own until destroyed.
#include <array>
#include <thread>

#include "edge/probe/udp_socket.hpp"
#include "edge/system/fd.hpp"

namespace natlab {

inline constexpr std::uint16_t kProbePrimaryPort = 3478;  // STUN's port
inline constexpr std::uint16_t kProbeAlternatePort = 3479;

class ProbeServer {
  public:
    // Opens the sockets inside `netns_fd`; both addresses must already exist there.
    ProbeServer(int netns_fd, const std::string& netns, const IpAddress& primary,
                const IpAddress& alternate);
    ~ProbeServer();
    ProbeServer(const ProbeServer&) = delete;
    ProbeServer& operator=(const ProbeServer&) = delete;

    Endpoint primary() const { return endpoints_[0]; }
    Endpoint alternate() const { return endpoints_[3]; }

  private:
    // Index = 2 * (alternate address) + (alternate port).
    std::array<Endpoint, 4> endpoints_;
    std::vector<UdpSocket> sockets_;
    UniqueFd stop_;  // an eventfd: written once to end the thread
    std::thread thread_;

    void serve();
    void answer(std::size_t arrived_on, const Datagram& request);
};

}  // namespace natlab
