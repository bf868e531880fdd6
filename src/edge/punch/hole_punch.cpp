#include "edge/punch/hole_punch.hpp"

#include <poll.h>

#include <algorithm>
#include <array>
#include <string_view>

#include "edge/kernel/netns.hpp"
#include "edge/probe/sockaddr.hpp"
#include "edge/probe/udp_socket.hpp"

namespace natlab {
namespace {

using Clock = std::chrono::steady_clock;
constexpr auto kTick = std::chrono::milliseconds(40);
constexpr int kEnough = 3;  // punches each way that count as "through"

std::vector<std::uint8_t> bytes(std::string_view text) {
    return {text.begin(), text.end()};
}

std::string text(const Datagram& d) {
    return {d.bytes.begin(), d.bytes.end()};
}

// A peer's socket: a random port, so attempts one after another never meet
// each other's mappings; of the rendezvous's family.
UdpSocket peer_socket(int netns_fd, const std::string& name, Family family) {
    NetnsGuard guard(netns_fd, name);
    return UdpSocket::random_port(20000, 60000, any_address(family));
}

// Bound to one address: its answers must come from where peers sent.
UdpSocket rendezvous_socket(int netns_fd, const std::string& name, const IpAddress& address) {
    NetnsGuard guard(netns_fd, name);
    return UdpSocket(Endpoint{address, 0});
}

struct Peer {
    char tag;  // 'A' or 'B'
    UdpSocket socket;
    PunchSide& side;
    bool told = false;  // the rendezvous gave it the other's endpoint

    void add_target(const Endpoint& e) {
        if (std::find(side.sent_to.begin(), side.sent_to.end(), e) == side.sent_to.end())
            side.sent_to.push_back(e);
    }
    void tick(const Endpoint& rendezvous) {
        if (!told) return socket.send(rendezvous, bytes(std::string("REG ") + tag));
        for (const auto& target : side.sent_to)
            socket.send(target, bytes(std::string("PUNCH ") + tag));
    }
    void on_datagram(const Datagram& d, const Endpoint& rendezvous) {
        std::string msg = text(d);
        if (d.from == rendezvous && msg.rfind("PEER ", 0) == 0) {
            auto peer = parse_endpoint(msg.substr(5));
            if (peer) add_target(*peer);
            told = true;
            return;
        }
        if (msg.rfind("PUNCH ", 0) != 0) return;
        ++side.received;
        if (std::find(side.heard_from.begin(), side.heard_from.end(), d.from) ==
            side.heard_from.end())
            side.heard_from.push_back(d.from);
        add_target(d.from);  // peer-reflexive: answer where it came from
    }
    // "10.0.1.2:4000" or "[2001:db8::2]:4000", as Endpoint::str writes them.
    static std::optional<Endpoint> parse_endpoint(const std::string& s) {
        auto colon = s.rfind(':');
        if (colon == std::string::npos) return std::nullopt;
        std::string address = s.substr(0, colon);
        if (address.size() > 2 && address.front() == '[' && address.back() == ']')
            address = address.substr(1, address.size() - 2);
        auto ip = IpAddress::parse(address);
        if (!ip) return std::nullopt;
        return Endpoint{*ip, static_cast<std::uint16_t>(std::stoi(s.substr(colon + 1)))};
    }
};

}  // namespace

PunchOutcome hole_punch(const PunchEndpoints& where, std::chrono::milliseconds window) {
    PunchOutcome out;
    out.rendezvous_node = where.rendezvous_node;
    out.a.host = where.host_a;
    out.b.host = where.host_b;
    UdpSocket server =
        rendezvous_socket(where.netns_rendezvous, where.rendezvous_node, where.rendezvous_address);
    out.rendezvous = server.local();
    const Family family = where.rendezvous_address.family;
    Peer a{'A', peer_socket(where.netns_a, where.host_a, family), out.a};
    Peer b{'B', peer_socket(where.netns_b, where.host_b, family), out.b};
    {
        NetnsGuard guard(where.netns_a, where.host_a);
        out.a.local = {local_address_towards(out.rendezvous), a.socket.local().port};
    }
    {
        NetnsGuard guard(where.netns_b, where.host_b);
        out.b.local = {local_address_towards(out.rendezvous), b.socket.local().port};
    }

    auto start = Clock::now();
    auto deadline = start + window + std::chrono::seconds(2);  // 2 s to register
    std::optional<Clock::time_point> punching_since;
    auto next_tick = start;
    while (Clock::now() < deadline) {
        if (Clock::now() >= next_tick) {
            a.tick(out.rendezvous);
            b.tick(out.rendezvous);
            next_tick += kTick;
        }
        if (!punching_since && a.told && b.told) {
            punching_since = Clock::now();
            deadline = *punching_since + window;
        }
        if (out.a.received >= kEnough && out.b.received >= kEnough) break;
        std::array<pollfd, 3> fds{
            {{server.fd(), POLLIN, 0}, {a.socket.fd(), POLLIN, 0}, {b.socket.fd(), POLLIN, 0}}};
        auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(next_tick - Clock::now());
        ::poll(fds.data(), fds.size(), static_cast<int>(std::max<long>(0, wait.count())));
        if (fds[0].revents & POLLIN) {
            if (auto d = server.receive(std::chrono::milliseconds(0))) {
                std::string msg = text(*d);
                if (msg == "REG A") out.a.public_seen = d->from;
                if (msg == "REG B") out.b.public_seen = d->from;
                if (out.a.public_seen && out.b.public_seen) {
                    server.send(*out.a.public_seen, bytes("PEER " + out.b.public_seen->str()));
                    server.send(*out.b.public_seen, bytes("PEER " + out.a.public_seen->str()));
                }
            }
        }
        if (fds[1].revents & POLLIN)
            if (auto d = a.socket.receive(std::chrono::milliseconds(0)))
                a.on_datagram(*d, out.rendezvous);
        if (fds[2].revents & POLLIN)
            if (auto d = b.socket.receive(std::chrono::milliseconds(0)))
                b.on_datagram(*d, out.rendezvous);
    }
    return out;
}

}  // namespace natlab
