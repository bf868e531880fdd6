#pragma once
// A real UDP hole-punching attempt between two hosts of a lab, coordinated by
// a rendezvous socket on the public side: all three sockets live in their own
// namespaces, one thread drives them with poll().
#include <chrono>
#include <string>

#include "core/punch/punch_outcome.hpp"

namespace natlab {

struct PunchEndpoints {
    int netns_a, netns_b, netns_rendezvous;  // namespace fds
    std::string host_a, host_b, rendezvous_node;
    IpAddress rendezvous_address;
};

// Registers both peers with the rendezvous, tells each the other's public
// endpoint, then both punch for up to `window` (less when both directions
// are through). Peers also answer endpoints they hear from unexpectedly.
PunchOutcome hole_punch(const PunchEndpoints& where, std::chrono::milliseconds window);

}  // namespace natlab
