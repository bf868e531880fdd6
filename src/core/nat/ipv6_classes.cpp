#include "core/nat/ipv6_classes.hpp"

namespace natlab {

bool ipv6_translates(const Ipv6Side& side) {
    return side.mode == Ipv6Mode::nat66 || side.mode == Ipv6Mode::nptv6;
}

bool ipv6_filters(const Ipv6Side& side) {
    return (side.mode == Ipv6Mode::firewall && side.behaviour.firewall) ||
           side.mode == Ipv6Mode::nat66;
}

NatBehaviour ipv6_effective_behaviour(const Ipv6Side& side) {
    if (side.mode == Ipv6Mode::nat66) return side.behaviour;
    NatBehaviour b;
    b.mf = {Dependence::endpoint_independent, Dependence::endpoint_independent};
    if (ipv6_filters(side)) b.mf.filtering = side.behaviour.mf.filtering;
    b.allocation = PortAllocation::preserve;
    b.udp_unreplied_timeout = side.behaviour.udp_unreplied_timeout;
    b.udp_established_timeout = side.behaviour.udp_established_timeout;
    return b;
}

}  // namespace natlab
