#include "edge/probe/observe_conformance.hpp"

#include <algorithm>
#include <map>
#include <thread>

#include "core/probe/lifetime_plan.hpp"
#include "edge/kernel/netns.hpp"
#include "edge/probe/resend.hpp"
#include "edge/probe/sockaddr.hpp"
#include "edge/probe/tcp_socket.hpp"
#include "edge/probe/udp_socket.hpp"

namespace natlab {

namespace {

using std::chrono::milliseconds;
using Clock = std::chrono::steady_clock;

constexpr milliseconds kResendEvery{50};
constexpr std::uint16_t kServerPort = 3480;  // next to the STUN probe's 3478 and 3479
constexpr std::uint16_t kServerOtherPort = 3481;
constexpr int kFirstInsidePort = 30000;  // away from the STUN probe's 20000-29999
constexpr int kLastInsidePort = 39999;
constexpr int kAllocationSeries = 5;

// Runs `make` inside a namespace: the sockets it opens stay there.
template <typename Make>
auto in_netns(int fd, const std::string& name, Make make) {
    NetnsGuard guard(fd, name);
    return make();
}

// On a port the NAT holds for nobody yet, so that it can keep the number;
// any address of the server's family, unless one is given.
UdpSocket inside_socket(const ConformanceSetup& s, const std::optional<IpAddress>& ip = {}) {
    return UdpSocket::random_port(kFirstInsidePort, kLastInsidePort,
                                  ip.value_or(any_address(s.server_primary.family)),
                                  s.ports_in_use);
}

std::vector<std::uint8_t> bytes_of(const std::string& text) {
    return {text.begin(), text.end()};
}

std::vector<std::uint8_t> fresh_payload() {
    static int next = 0;
    return bytes_of("natlab-verify " + std::to_string(++next));
}

// Sends a fresh payload from `from` to `to`, again and again, until
// `at` receives it: the source `at` saw, none within `timeout`.
std::optional<Endpoint> deliver(UdpSocket& from, const Endpoint& to, UdpSocket& at,
                                milliseconds timeout) {
    auto payload = fresh_payload();
    auto d = resend_until(
        from, to, payload, at, [&](const Datagram& d) { return d.bytes == payload; }, timeout);
    return d ? std::optional<Endpoint>(d->from) : std::nullopt;
}

bool arrives(UdpSocket& from, const Endpoint& to, UdpSocket& at, milliseconds timeout) {
    return deliver(from, to, at, timeout).has_value();
}

struct Peers {
    Endpoint server, peer;  // the server's endpoint, and one the inside never contacted
    UdpSocket at_server, at_peer;
};

std::vector<AllocationSample> observe_allocation(const ConformanceSetup& s, Peers& peers) {
    std::vector<AllocationSample> series;
    for (int i = 0; i < kAllocationSeries; ++i) {
        UdpSocket inside =
            in_netns(s.host_netns_fd, s.host_netns, [&] { return inside_socket(s); });
        if (auto seen = deliver(inside, peers.server, peers.at_server, s.timeout))
            series.push_back({inside.local().port, seen->port});
    }
    return series;
}

RaceObservations observe_race(const ConformanceSetup& s, Peers& peers) {
    RaceObservations seen;
    UdpSocket inside = in_netns(s.host_netns_fd, s.host_netns, [&] { return inside_socket(s); });
    auto before = deliver(inside, peers.server, peers.at_server, s.timeout);
    if (!before) return seen;
    seen.mapped_before = *before;
    // The peer's packet comes first, to the mapping the inside host has...
    seen.early_arrived = arrives(peers.at_peer, seen.mapped_before, inside, s.timeout / 2);
    // ...then the inside host's own packet to the peer, and the peer's answer.
    seen.peer_saw = deliver(inside, peers.peer, peers.at_peer, s.timeout);
    if (seen.peer_saw)
        seen.answer_arrived = arrives(peers.at_peer, *seen.peer_saw, inside, s.timeout);
    seen.mapped_after = deliver(inside, peers.server, peers.at_server, s.timeout);
    return seen;
}

// One binding of the lifetime plan as it runs: its socket, the external
// endpoint the server last saw, and when its exchanges began and ended.
struct RunningProbe {
    const LifetimeProbe* plan = nullptr;
    std::optional<UdpSocket> inside;
    Endpoint external;
    Clock::time_point first, last;
    std::size_t exchanges = 0;  // done so far
    bool asked = false;
    bool alive = false;

    Clock::time_point next() const {
        auto after = [](Clock::time_point t, double seconds) {
            return t + std::chrono::duration_cast<Clock::duration>(
                           std::chrono::duration<double>(seconds));
        };
        if (exchanges == 0) return Clock::time_point::min();  // opened at once
        if (exchanges < plan->exchanges_s.size()) return after(first, plan->exchanges_s[exchanges]);
        return after(last, plan->silence_s);
    }
};

// The host sends, the server answers: the external endpoint the server saw,
// none when either way failed.
std::optional<Endpoint> exchange(const ConformanceSetup& s, Peers& peers, UdpSocket& inside) {
    auto external = deliver(inside, peers.server, peers.at_server, s.timeout);
    if (!external || !arrives(peers.at_server, *external, inside, s.timeout)) return std::nullopt;
    return external;
}

// Follows the lifetime plan: every step of every binding in the order of
// time, each binding's steps timed from its own exchanges, so that a slow
// step of one delays no other binding's silence. Not measured when an
// exchange fails or a step comes too late to be judged.
LifetimeObservations observe_lifetime(const ConformanceSetup& s, Peers& peers) {
    LifetimeObservations seen;
    const std::vector<LifetimeProbe> plan = lifetime_plan(s.declared);
    if (plan.empty()) return seen;
    std::vector<RunningProbe> running;
    for (const auto& probe : plan) {
        running.emplace_back();
        running.back().plan = &probe;
    }
    const milliseconds ask_for = std::min(s.timeout, milliseconds(300));
    for (;;) {
        auto pending = [](const RunningProbe& p) { return !p.asked; };
        auto earliest = [&](const RunningProbe& a, const RunningProbe& b) {
            return pending(a) && (!pending(b) || a.next() < b.next());
        };
        auto step = std::min_element(running.begin(), running.end(), earliest);
        if (step == running.end() || !pending(*step)) break;
        const Clock::time_point due = step->next();
        std::this_thread::sleep_until(due);
        if (step->exchanges > 0 && Clock::now() - due > std::chrono::duration<double>(kLatestStep))
            return seen;
        if (step->exchanges < step->plan->exchanges_s.size()) {
            if (!step->inside)
                step->inside =
                    in_netns(s.host_netns_fd, s.host_netns, [&] { return inside_socket(s); });
            const auto began = Clock::now();
            auto external = exchange(s, peers, *step->inside);
            if (!external) return seen;
            if (step->exchanges++ == 0) step->first = began;
            step->external = *external;  // a binding that died and came back shows as such
            step->last = Clock::now();
            continue;
        }
        step->alive = arrives(peers.at_server, step->external, *step->inside, ask_for);
        step->asked = true;
    }
    seen.waited = true;
    seen.answered_once.declared_s = s.declared.udp_unreplied_timeout;
    seen.stream.declared_s = s.declared.udp_established_timeout;
    for (const auto& p : running) {
        LifetimeSample& sample = p.plan->stream ? seen.stream : seen.answered_once;
        (p.plan->before ? sample.alive_before : sample.alive_after) = p.alive;
    }
    return seen;
}

// Pairs of inside endpoints on one port, one from the host's address to the
// server, one from its spare address (a second inside host) to the peer:
// the kernel keeps tuples apart for one destination only, so only natlab's
// own bookkeeping keeps the second from being handed the first's port.
std::vector<UdpSocket> ownership_sockets(const ConformanceSetup& s, const Peers& peers) {
    return in_netns(s.host_netns_fd, s.host_netns, [&] {
        IpAddress own = local_address_towards(peers.server);
        std::vector<UdpSocket> sockets;
        int refused = 0;
        while (static_cast<int>(sockets.size()) + 1 < s.ownership_endpoints) {
            sockets.push_back(inside_socket(s, own));
            std::uint16_t port = sockets.back().local().port;
            try {
                sockets.emplace_back(Endpoint{s.host_spare.value_or(own),
                                              static_cast<std::uint16_t>(s.host_spare ? port : 0)});
            } catch (const std::exception&) {
                sockets.pop_back();  // that port is in use on the spare address: another one
                if (++refused == 1000) throw;  // every port is: say why
            }
        }
        return sockets;
    });
}

// Every inside endpoint sends until it has been heard or the time is up: the
// first of each pair to the server, the second to the peer.
std::vector<OwnershipSample> observe_ownership(const ConformanceSetup& s, Peers& peers) {
    std::vector<UdpSocket> inside = ownership_sockets(s, peers);
    std::vector<OwnershipSample> samples;
    std::map<std::string, std::size_t> index;  // payload -> inside socket
    std::vector<std::vector<std::uint8_t>> payloads;
    for (std::size_t i = 0; i < inside.size(); ++i) {
        samples.push_back({inside[i].local(), std::nullopt});
        payloads.push_back(fresh_payload());
        index[std::string(payloads.back().begin(), payloads.back().end())] = i;
    }
    auto hear = [&](UdpSocket& at) {
        while (auto d = at.receive(milliseconds(0))) {
            auto it = index.find(std::string(d->bytes.begin(), d->bytes.end()));
            if (it != index.end() && !samples[it->second].seen) samples[it->second].seen = d->from;
        }
    };
    auto unheard = [&] {
        return std::count_if(samples.begin(), samples.end(), [](auto& x) { return !x.seen; });
    };
    auto deadline = Clock::now() + 4 * s.timeout;
    while (unheard() > 0 && Clock::now() < deadline) {
        for (std::size_t i = 0; i < inside.size(); ++i)
            if (!samples[i].seen) inside[i].send(i % 2 ? peers.peer : peers.server, payloads[i]);
        std::this_thread::sleep_for(kResendEvery);
        hear(peers.at_server);
        hear(peers.at_peer);
    }
    return samples;
}

// A free port of the host: every TCP socket of one test binds it again.
std::uint16_t free_inside_port(const ConformanceSetup& s) {
    return in_netns(s.host_netns_fd, s.host_netns, [&] { return inside_socket(s); }).local().port;
}

// RFC 5780's mapping and filtering tests, over TCP. Mapping: one local port
// connects to three server endpoints. Filtering: another local port, which
// has only connected to the primary endpoint, listens while the server
// connects to its mapping from an address and from a port it never contacted.
TcpObservations observe_tcp(const ConformanceSetup& s, const Peers& peers) {
    TcpObservations seen;
    const Endpoint primary = peers.server, alt_ip = peers.peer;
    const Endpoint alt_both{s.server_alternate, kServerOtherPort};
    std::vector<UniqueFd> listeners;
    in_netns(s.server_netns_fd, s.server_netns, [&] {
        for (const auto& at : {primary, alt_ip, alt_both}) listeners.push_back(tcp_listener(at));
    });
    std::vector<UniqueFd> connections;  // kept open: their flows hold the mappings
    auto mapped_at = [&](std::uint16_t port, const Endpoint& to,
                         const UniqueFd& listener) -> std::optional<Endpoint> {
        connections.push_back(in_netns(s.host_netns_fd, s.host_netns, [&] {
            return tcp_bound(Endpoint{any_address(s.server_primary.family), port});
        }));
        tcp_start_connect(connections.back().get(), to);
        if (!tcp_connected(connections.back().get(), s.timeout)) return std::nullopt;
        auto accepted = tcp_accept(listener.get(), s.timeout);
        if (!accepted) return std::nullopt;
        connections.push_back(std::move(accepted->socket));
        return accepted->peer;
    };
    std::uint16_t port = free_inside_port(s);
    seen.mapped_primary = mapped_at(port, primary, listeners[0]);
    if (!seen.mapped_primary) return seen;
    seen.mapped_alt_ip = mapped_at(port, alt_ip, listeners[1]);
    seen.mapped_alt_both = mapped_at(port, alt_both, listeners[2]);

    std::uint16_t filtered = free_inside_port(s);
    auto mapping = mapped_at(filtered, primary, listeners[0]);
    if (!mapping) return seen;
    UniqueFd inside = in_netns(s.host_netns_fd, s.host_netns, [&] {
        return tcp_listener(Endpoint{any_address(s.server_primary.family), filtered});
    });
    std::vector<UniqueFd> strangers;
    in_netns(s.server_netns_fd, s.server_netns, [&] {
        for (const auto& ip : {s.server_alternate, s.server_primary})
            strangers.push_back(tcp_bound(Endpoint{ip, 0}));
    });
    for (const auto& stranger : strangers) tcp_start_connect(stranger.get(), *mapping);
    auto deadline = Clock::now() + s.timeout;
    while (Clock::now() < deadline) {
        auto left = std::chrono::duration_cast<milliseconds>(deadline - Clock::now());
        auto accepted = tcp_accept(inside.get(), std::max(left, milliseconds(1)));
        if (!accepted) continue;
        if (accepted->peer.ip == s.server_alternate) seen.inbound_from_other_address = true;
        if (accepted->peer.ip == s.server_primary) seen.inbound_from_other_port = true;
    }
    return seen;
}

}  // namespace

ConformanceObservations observe_conformance(const ConformanceSetup& setup) {
    ConformanceSetup s = setup;
    auto fresh = [&s]() -> const ConformanceSetup& {
        if (s.read_ports_in_use) s.ports_in_use = s.read_ports_in_use();
        return s;
    };
    Peers peers = in_netns(s.server_netns_fd, s.server_netns, [&] {
        Endpoint server{s.server_primary, kServerPort}, peer{s.server_alternate, kServerPort};
        return Peers{server, peer, UdpSocket(server), UdpSocket(peer)};
    });
    ConformanceObservations seen;
    seen.allocation = observe_allocation(fresh(), peers);
    seen.race = observe_race(fresh(), peers);
    seen.tcp = observe_tcp(fresh(), peers);
    seen.lifetime = observe_lifetime(fresh(), peers);
    seen.ownership = observe_ownership(fresh(), peers);  // last: it may fill a small port range
    return seen;
}

}  // namespace natlab
