#include "core/probe/lifetime_plan.hpp"

#include "core/probe/conformance.hpp"

namespace natlab {

std::vector<LifetimeProbe> lifetime_plan(const NatBehaviour& b) {
    if (!lifetime_waitable(b)) return {};
    std::vector<double> busy;
    for (double at = 0; at < kStreamBusySeconds + kStreamExchangeEvery / 2;
         at += kStreamExchangeEvery)
        busy.push_back(at);
    const double once = b.udp_unreplied_timeout, stream = b.udp_established_timeout;
    return {{false, true, {0}, once - kLifetimeMargin},
            {false, false, {0}, once + kLifetimeMargin},
            {true, true, busy, stream - kLifetimeMargin},
            {true, false, busy, stream + kLifetimeMargin}};
}

}  // namespace natlab
