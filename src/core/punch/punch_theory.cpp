#include "core/punch/punch_theory.hpp"

namespace natlab {
namespace {

// A public peer behaves like a NAT that maps nothing and filters nothing.
MappingFiltering effective(const PeerNat& nat) {
    return nat.value_or(
        MappingFiltering{Dependence::endpoint_independent, Dependence::endpoint_independent});
}

bool independent(Dependence d) {
    return d == Dependence::endpoint_independent;
}

// X's first packets arrive at Y's NAT on the mapping Y opened towards the
// rendezvous, coming from X's mapping towards Y. They pass when Y's NAT lets
// anyone in; or when Y's mapping is endpoint-independent, so Y's own packets
// to X (sent to the endpoint the rendezvous saw) went out through that same
// mapping, and the filter then accepts X's address (address-dependent), or
// X's exact endpoint, which is the one the rendezvous saw only when X's
// mapping is endpoint-independent too.
bool first_packets_reach(const MappingFiltering& x, const MappingFiltering& y) {
    if (independent(y.filtering)) return true;
    if (!independent(y.mapping)) return false;
    return y.filtering == Dependence::address_dependent || independent(x.mapping);
}

}  // namespace

bool punch_reaches(const PeerNat& x_nat, const PeerNat& y_nat) {
    MappingFiltering x = effective(x_nat), y = effective(y_nat);
    if (first_packets_reach(x, y)) return true;
    // Otherwise X sends again, to the endpoint Y's packets came from, once
    // they reached X. Y's NAT opened that mapping towards X's first endpoint:
    // X's answer passes unless Y's NAT wants that exact endpoint and X's
    // mapping gave the answer a new one.
    return first_packets_reach(y, x) &&
           (y.filtering != Dependence::address_and_port_dependent || independent(x.mapping));
}

}  // namespace natlab
