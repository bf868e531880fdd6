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

UniqueFd open_udp(Family family) {
    UniqueFd fd(::socket(address_family(family), SOCK_DGRAM | SOCK_CLOEXEC, 0));
    if (!fd) throw_errno("opening a UDP socket", errno);
    // An IPv6 socket takes IPv6 alone: the probe asks one family at a time.
    int one = 1;
    if (family == Family::ipv6) ::setsockopt(fd.get(), IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof one);
    return fd;
}

}  // namespace

UdpSocket::UdpSocket(const Endpoint& bind_to) : fd_(open_udp(bind_to.ip.family)) {
    auto sa = to_sockaddr(bind_to);
    if (::bind(fd_.get(), sa.get(), sa.length) != 0)
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
    if (::sendto(fd_.get(), bytes.data(), bytes.size(), 0, sa.get(), sa.length) < 0) {
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
    SocketAddress sa;
    ssize_t n =
        ::recvfrom(fd_.get(), d.bytes.data(), d.bytes.size(), MSG_DONTWAIT, sa.get(), &sa.length);
    if (n < 0) return std::nullopt;  // e.g. a queued ICMP error
    d.bytes.resize(static_cast<std::size_t>(n));
    d.from = from_sockaddr(sa);
    return d;
}

Endpoint UdpSocket::local() const {
    SocketAddress sa;
    if (::getsockname(fd_.get(), sa.get(), &sa.length) != 0)
        throw_errno("reading a UDP socket's address", errno);
    return from_sockaddr(sa);
}

IpAddress local_address_towards(const Endpoint& destination) {
    UniqueFd fd = open_udp(destination.ip.family);
    auto sa = to_sockaddr(destination);
    if (::connect(fd.get(), sa.get(), sa.length) != 0)
        throw_errno("finding a route to " + destination.str(), errno);
    SocketAddress local;
    ::getsockname(fd.get(), local.get(), &local.length);
    return from_sockaddr(local).ip;
}

}  // namespace natlab
