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
    // A firewall that lets out only some ports does so for IPv6 too.
    if (side.mode == Ipv6Mode::firewall) b.allowed_outbound = side.behaviour.allowed_outbound;
    return b;
}

std::string ipv6_side_name(const Ipv6Side& side) {
    switch (side.mode) {
        case Ipv6Mode::firewall:
            if (!side.behaviour.firewall) return "IPv6 firewall off";
            return std::string("IPv6 firewall, ") + name_of(side.behaviour.mf.filtering) +
                   " filtering";
        case Ipv6Mode::routed:
            return "IPv6 routed";
        case Ipv6Mode::nptv6:
            return "NPTv6" + (side.outside_prefix ? " to " + side.outside_prefix->str() : "");
        case Ipv6Mode::nat66:
            return "NAT66 " + behaviour_name(side.behaviour);
    }
    return "";
}

}  // namespace natlab
