#pragma once
// What one hole-punching attempt showed, as plain data (the kernel side
// fills it, the report reads it).
#include <optional>
#include <string>
#include <vector>

#include "core/util/ip.hpp"

namespace natlab {

struct PunchSide {
    std::string host;
    Endpoint local;                              // the peer's socket
    std::optional<Endpoint> public_seen;         // as the rendezvous saw it
    std::vector<Endpoint> sent_to;               // every endpoint it punched towards
    int received = 0;                            // punches from the other peer that arrived
    std::vector<Endpoint> heard_from;            // where they came from
    std::optional<Endpoint> mapped_toward_peer;  // its NAT's mapping towards the other peer
};

struct PunchOutcome {
    Endpoint rendezvous;
    std::string rendezvous_node;
    PunchSide a, b;
};

}  // namespace natlab
