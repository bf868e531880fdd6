#include "edge/probe/probe_client.hpp"

#include <stdexcept>

#include "edge/kernel/netns.hpp"
#include "edge/probe/resend.hpp"
#include "edge/probe/sockaddr.hpp"
#include "edge/probe/udp_socket.hpp"

namespace natlab {

namespace {

using std::chrono::milliseconds;

// Client ports come from here, away from the kernel's ephemeral range.
constexpr int kFirstClientPort = 20000;
constexpr int kLastClientPort = 29999;

struct Request {
    bool change_ip = false;
    bool change_port = false;
};

// Sends a binding request (again and again: resend_until) until `listener` receives
// a message with its transaction or the timeout passes.
std::optional<stun::Message> exchange(UdpSocket& sender, UdpSocket& listener, const Endpoint& to,
                                      Request req, milliseconds timeout) {
    stun::Message m;
    m.transaction = stun::new_transaction();
    m.change_ip = req.change_ip;
    m.change_port = req.change_port;
    auto bytes = stun::encode(m);
    auto ours = [&](const Datagram& d) {
        auto answer = stun::decode(d.bytes);
        return answer && answer->transaction == m.transaction;
    };
    auto d = resend_until(sender, to, bytes, listener, ours, timeout);
    return d ? stun::decode(d->bytes) : std::nullopt;
}

std::optional<Endpoint> mapped_by(UdpSocket& s, const Endpoint& to, milliseconds timeout) {
    auto answer = exchange(s, s, to, {}, timeout);
    return answer ? answer->mapped : std::nullopt;
}

Endpoint with_local_ip(Endpoint local, const IpAddress& ip) {
    local.ip = ip;
    return local;
}

}  // namespace

ProbeObservations observe_nat(int host_netns_fd, const std::string& host_netns,
                              const ProbeServerAddresses& server,
                              const std::set<std::uint16_t>& avoid_ports, milliseconds timeout) {
    NetnsGuard guard(host_netns_fd, host_netns);
    auto client_socket = [&] {
        return UdpSocket::random_port(kFirstClientPort, kLastClientPort,
                                      any_address(server.primary.ip.family), avoid_ports);
    };
    const Endpoint& primary = server.primary;
    const Endpoint alt_ip{server.alternate.ip, primary.port};
    const Endpoint& alt_both = server.alternate;
    IpAddress own = local_address_towards(primary);
    ProbeObservations seen;

    // Mapping (RFC 5780 4.3): one socket, three destinations.
    auto mapping = client_socket();
    seen.local = with_local_ip(mapping.local(), own);
    auto first = mapped_by(mapping, primary, timeout);
    if (!first) {
        throw std::runtime_error("the probe server at " + primary.str() + " did not answer " +
                                 host_netns + " at all: check routes and the NAT's rules");
    }
    seen.mapped_primary = *first;
    seen.mapped_alt_ip = mapped_by(mapping, alt_ip, timeout);
    seen.mapped_alt_both = mapped_by(mapping, alt_both, timeout);

    // Filtering (4.4): a fresh socket that has only ever sent to `primary`.
    auto filter = client_socket();
    seen.filter_local = with_local_ip(filter.local(), own);
    if (auto m = mapped_by(filter, primary, timeout)) seen.filter_mapped = *m;
    seen.answer_from_other_address =
        exchange(filter, filter, primary, {true, true}, timeout).has_value();
    if (!seen.answer_from_other_address) {
        seen.answer_from_other_port =
            exchange(filter, filter, primary, {false, true}, timeout).has_value();
    }

    // Hairpinning (4.5): another inside socket sends to the first's mapping.
    auto other = client_socket();
    seen.hairpin_arrived = exchange(other, mapping, seen.mapped_primary, {}, timeout).has_value();
    return seen;
}

}  // namespace natlab
