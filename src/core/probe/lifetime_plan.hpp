#pragma once
// How verify waits for binding lifetimes, as a plan the edge follows
// (edge/probe/observe_conformance) and the unit tests read. Four bindings,
// each opened by an exchange with the server (the host sends, the server
// answers). Two are then left silent: answered once, they live udp-timeout
// unreplied. Two are kept busy, an exchange every half second, until
// conntrack calls them streams, then left silent: they live udp-timeout
// established. The server asks each binding once, by sending to it unasked,
// a margin before or after its lifetime, counted from its last exchange: the
// silence an independent client would leave.
#include <vector>

#include "core/nat/behaviour.hpp"

namespace natlab {

// A UDP flow becomes a stream (conntrack's "assured") when it carries a
// packet more than 2 s after its first, once answered: a stream's last
// exchange is this long after its first.
inline constexpr double kStreamBusySeconds = 2.5;
// The time between a stream's exchanges: well under the shortest lifetime
// waited for, so that the flow lives on between them, and longer than the
// rules' refresh gate (200 ms), so that each exchange refreshes the bindings.
inline constexpr double kStreamExchangeEvery = 0.5;
// A step this much later than planned (a busy machine) is not judged: the
// silence before it would no longer be the one planned.
inline constexpr double kLatestStep = 0.5;

struct LifetimeProbe {
    bool stream = false;              // kept busy until conntrack calls it a stream
    bool before = false;              // asked before its lifetime ends, else after it
    std::vector<double> exchanges_s;  // from its first exchange (0) on
    double silence_s = 0;             // from the end of its last exchange to the ask
};

// In the order the edge opens them: answered once (asked before, after),
// then streams (before, after). Empty when the lifetimes are not waited for.
std::vector<LifetimeProbe> lifetime_plan(const NatBehaviour& behaviour);

}  // namespace natlab
