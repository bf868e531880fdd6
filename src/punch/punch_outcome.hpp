#pragma once
// What one hole-punching attempt showed, as plain data (the kernel side
// fills it, the report reads it).
#include <optional>
#include <string>
#include <vector>

#include "probe/stun.hpp"

namespace natlab {

struct PunchSide {
    std::string host;
    UdpEndpoint local;                              // the peer's socket
    std::optional<UdpEndpoint> public_seen;         // as the rendezvous saw it
    std::vector<UdpEndpoint> sent_to;               // every endpoint it punched towards
    int received = 0;                               // punches from the other peer that arrived
    std::vector<UdpEndpoint> heard_from;            // where they came from
    std::optional<UdpEndpoint> mapped_toward_peer;  // its NAT's mapping towards the other peer
};

struct PunchOutcome {
    UdpEndpoint rendezvous;
    std::string rendezvous_node;
    PunchSide a, b;
};

}  // namespace natlab
