#include "core/punch/punch_theory.hpp"

#include <set>
#include <vector>

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

// The mappings a NAT may show its peer: its own, and for a bare box that
// loses the race, a new port for that peer.
std::vector<PeerNat> race_outcomes(const std::optional<PunchModel>& nat) {
    if (!nat) return {std::nullopt};
    std::vector<PeerNat> outcomes = {nat->mf};
    if (!nat->firewall && independent(nat->mf.mapping) && !independent(nat->mf.filtering))
        outcomes.push_back(
            MappingFiltering{Dependence::address_and_port_dependent, nat->mf.filtering});
    return outcomes;
}

}  // namespace

PunchExpectation punch_expectation(const std::optional<PunchModel>& a,
                                   const std::optional<PunchModel>& b) {
    if ((a && !a->udp_out) || (b && !b->udp_out)) return PunchExpectation::fails;
    std::set<bool> outcomes;
    for (const auto& x : race_outcomes(a))
        for (const auto& y : race_outcomes(b)) outcomes.insert(punch_works(x, y));
    if (outcomes.size() > 1) return PunchExpectation::race;
    return *outcomes.begin() ? PunchExpectation::works : PunchExpectation::fails;
}

bool punch_reaches(const PeerNat& x_nat, const PeerNat& y_nat) {
    MappingFiltering x = effective(x_nat), y = effective(y_nat);
    if (first_packets_reach(x, y)) return true;
    // Otherwise X sends again, to the endpoint Y's packets came from, once
    // they reached X. They came in on the endpoint the rendezvous saw, and
    // made a session there (conntrack's, as any NAT's): X's answer leaves
    // through that session, from that very endpoint, whatever X's mapping
    // class, and Y's NAT opened its mapping towards exactly that endpoint.
    return first_packets_reach(y, x);
}

}  // namespace natlab
