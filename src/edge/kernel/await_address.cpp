#include "edge/kernel/await_address.hpp"

#include <chrono>
#include <thread>

#include "edge/system/error.hpp"

namespace natlab {

namespace {
using Clock = std::chrono::steady_clock;
// radvd answers a router solicitation within half a second (RFC 4861's
// MAX_RA_DELAY_TIME) and sends its first advertisements at once; DAD is off
// in a lab, so the address is usable as soon as it is made.
constexpr auto kWait = std::chrono::seconds(10);
constexpr auto kPoll = std::chrono::milliseconds(10);
}  // namespace

void await_address(RouteSocket& route, const std::string& ifname, const Cidr& prefix,
                   const std::string& what) {
    for (auto deadline = Clock::now() + kWait;; std::this_thread::sleep_for(kPoll)) {
        int index = route.link(ifname, what).index;
        for (const auto& a : route.addresses())
            if (a.ifindex == index && prefix.contains(a.address.address)) return;
        if (Clock::now() > deadline)
            throw KernelError(what + ": no address of " + prefix.str() + " after 10 s; " +
                              "the router's advertisements did not arrive (see its radvd log "
                              "under /run/natlab/LAB/ra/), or the host does not accept them "
                              "(net.ipv6.conf." +
                              ifname + ".accept_ra)");
    }
}

}  // namespace natlab
