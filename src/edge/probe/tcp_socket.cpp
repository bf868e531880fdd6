#include "edge/probe/tcp_socket.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>

#include <cerrno>

#include "edge/probe/sockaddr.hpp"
#include "edge/system/error.hpp"

namespace natlab {

UniqueFd tcp_bound(const Endpoint& local) {
    UniqueFd fd(
        ::socket(address_family(local.ip.family), SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
    if (!fd) throw_errno("opening a TCP socket", errno);
    int one = 1;
    if (local.ip.family == Family::ipv6)
        ::setsockopt(fd.get(), IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof one);
    ::setsockopt(fd.get(), SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    ::setsockopt(fd.get(), SOL_SOCKET, SO_REUSEPORT, &one, sizeof one);
    auto sa = to_sockaddr(local);
    if (::bind(fd.get(), sa.get(), sa.length) != 0)
        throw_errno("binding a TCP socket to " + local.str(), errno);
    return fd;
}

UniqueFd tcp_listener(const Endpoint& local) {
    UniqueFd fd = tcp_bound(local);
    if (::listen(fd.get(), 16) != 0) throw_errno("listening on TCP " + local.str(), errno);
    return fd;
}

void tcp_start_connect(int socket, const Endpoint& to) {
    auto sa = to_sockaddr(to);
    if (::connect(socket, sa.get(), sa.length) != 0 && errno != EINPROGRESS)
        throw_errno("connecting to TCP " + to.str(), errno);
}

bool tcp_connected(int socket, std::chrono::milliseconds timeout) {
    pollfd p{socket, POLLOUT, 0};
    if (::poll(&p, 1, static_cast<int>(timeout.count())) <= 0) return false;
    int error = 0;
    socklen_t len = sizeof error;
    ::getsockopt(socket, SOL_SOCKET, SO_ERROR, &error, &len);
    return error == 0;
}

std::optional<Accepted> tcp_accept(int listener, std::chrono::milliseconds timeout) {
    pollfd p{listener, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(timeout.count())) <= 0) return std::nullopt;
    SocketAddress sa;
    UniqueFd fd(::accept4(listener, sa.get(), &sa.length, SOCK_CLOEXEC));
    if (!fd) return std::nullopt;
    return Accepted{std::move(fd), from_sockaddr(sa)};
}

}  // namespace natlab
