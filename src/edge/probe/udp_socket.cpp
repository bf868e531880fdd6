#include "edge/probe/udp_socket.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>
#include <random>

#include "edge/probe/sockaddr.hpp"
#include "edge/system/error.hpp"

namespace natlab {

namespace {

UniqueFd open_udp() {
    UniqueFd fd(::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
    if (!fd) throw_errno("opening a UDP socket", errno);
    return fd;
}

}  // namespace

UdpSocket::UdpSocket(const Endpoint& bind_to) : fd_(open_udp()) {
    auto sa = to_sockaddr(bind_to);
    if (::bind(fd_.get(), reinterpret_cast<sockaddr*>(&sa), sizeof sa) != 0)
        throw_errno("binding a UDP socket to " + bind_to.str(), errno);
}

UdpSocket UdpSocket::random_port(int first, int last, const IpAddress& ip,
                                 const std::set<std::uint16_t>& avoid) {
    static thread_local std::mt19937 rng{std::random_device{}()};
    std::uniform_int_distribution<int> pick(first, last);
    int skipped = 0, failed = 0;
    for (;;) {
        auto port = static_cast<std::uint16_t>(pick(rng));
        // A range nearly all in use is taken as it is rather than searched.
        if (avoid.contains(port) && ++skipped < 1000) continue;
        try {
            return UdpSocket(Endpoint{ip, port});
        } catch (const KernelError&) {
            if (++failed == 20) throw;  // the range is nearly full: say so
        }
    }
}

void UdpSocket::send(const Endpoint& to, std::span<const std::uint8_t> bytes) {
    auto sa = to_sockaddr(to);
    if (::sendto(fd_.get(), bytes.data(), bytes.size(), 0, reinterpret_cast<sockaddr*>(&sa),
                 sizeof sa) < 0) {
        // An ICMP error from an earlier packet surfaces here; the probe only
        // cares whether answers arrive, so it is not fatal.
        if (errno != ECONNREFUSED && errno != EHOSTUNREACH && errno != ENETUNREACH)
            throw_errno("sending to " + to.str(), errno);
    }
}

std::optional<Datagram> UdpSocket::receive(std::chrono::milliseconds timeout) {
    pollfd p{fd_.get(), POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(timeout.count())) <= 0) return std::nullopt;
    Datagram d;
    d.bytes.resize(2048);
    sockaddr_in sa{};
    socklen_t len = sizeof sa;
    ssize_t n = ::recvfrom(fd_.get(), d.bytes.data(), d.bytes.size(), MSG_DONTWAIT,
                           reinterpret_cast<sockaddr*>(&sa), &len);
    if (n < 0) return std::nullopt;  // e.g. a queued ICMP error
    d.bytes.resize(static_cast<std::size_t>(n));
    d.from = from_sockaddr(sa);
    return d;
}

Endpoint UdpSocket::local() const {
    sockaddr_in sa{};
    socklen_t len = sizeof sa;
    if (::getsockname(fd_.get(), reinterpret_cast<sockaddr*>(&sa), &len) != 0)
        throw_errno("reading a UDP socket's address", errno);
    return from_sockaddr(sa);
}

IpAddress local_address_towards(const Endpoint& destination) {
    UniqueFd fd = open_udp();
    auto sa = to_sockaddr(destination);
    if (::connect(fd.get(), reinterpret_cast<sockaddr*>(&sa), sizeof sa) != 0)
        throw_errno("finding a route to " + destination.str(), errno);
    sockaddr_in local{};
    socklen_t len = sizeof local;
    ::getsockname(fd.get(), reinterpret_cast<sockaddr*>(&local), &len);
    return from_sockaddr(local).ip;
}

}  // namespace natlab
