#include "edge/probe/probe_server.hpp"

#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <cerrno>

#include "edge/kernel/netns.hpp"
#include "edge/system/error.hpp"

namespace natlab {

ProbeServer::ProbeServer(int netns_fd, const std::string& netns, const IpAddress& primary,
                         const IpAddress& alternate)
    : endpoints_{Endpoint{primary, kProbePrimaryPort}, Endpoint{primary, kProbeAlternatePort},
                 Endpoint{alternate, kProbePrimaryPort}, Endpoint{alternate, kProbeAlternatePort}},
      stop_(::eventfd(0, EFD_CLOEXEC)) {
    if (!stop_) throw_errno("creating an eventfd", errno);
    {
        NetnsGuard guard(netns_fd, netns);
        for (const auto& e : endpoints_) sockets_.emplace_back(e);
    }
    thread_ = std::thread([this] { serve(); });
}

ProbeServer::~ProbeServer() {
    std::uint64_t one = 1;
    [[maybe_unused]] auto n = ::write(stop_.get(), &one, sizeof one);
    thread_.join();
}

void ProbeServer::serve() {
    std::vector<pollfd> fds;
    for (const auto& s : sockets_) fds.push_back({s.fd(), POLLIN, 0});
    fds.push_back({stop_.get(), POLLIN, 0});
    for (;;) {
        if (::poll(fds.data(), fds.size(), -1) < 0 && errno != EINTR) return;
        if (fds.back().revents) return;
        for (std::size_t i = 0; i < sockets_.size(); ++i) {
            if (!fds[i].revents) continue;
            if (auto d = sockets_[i].receive(std::chrono::milliseconds(0))) answer(i, *d);
        }
    }
}

void ProbeServer::answer(std::size_t arrived_on, const Datagram& request) {
    auto message = stun::decode(request.bytes);
    if (!message || message->type != stun::kBindingRequest) return;
    std::size_t from =
        arrived_on ^ (message->change_ip ? 2u : 0u) ^ (message->change_port ? 1u : 0u);
    stun::Message response;
    response.type = stun::kBindingSuccess;
    response.transaction = message->transaction;
    response.mapped = request.from;
    response.other_address = endpoints_[arrived_on ^ 3u];
    response.response_origin = endpoints_[from];
    try {
        sockets_[from].send(request.from, stun::encode(response));
    } catch (const KernelError&) {
        // One lost answer is what a probe measures anyway; keep serving.
    }
}

}  // namespace natlab
