#pragma once
// What UDP hole punching through two NATs should do, derived from their
// RFC 4787 classes, for the procedure natlab punch follows: both peers learn
// each other's endpoint from a rendezvous server, both send to it, and a
// peer that hears from an endpoint it did not expect also sends there
// (a peer-reflexive endpoint, as ICE does). Pure.
#include <optional>
#include <string>

#include "core/nat/behaviour.hpp"

namespace natlab {

// The NAT in front of a peer; nullopt for a peer with a public address.
using PeerNat = std::optional<MappingFiltering>;

// Do packets from X reach Y (at some point of the exchange)?
bool punch_reaches(const PeerNat& x, const PeerNat& y);

// Both ways: a direct conversation.
inline bool punch_works(const PeerNat& a, const PeerNat& b) {
    return punch_reaches(a, b) && punch_reaches(b, a);
}

// A NAT as the theory needs it: its classes, and whether a firewall keeps
// what no mapping admits away from its own stack (false: a bare Linux box).
struct PunchModel {
    MappingFiltering mf;
    bool firewall = true;
    bool udp_out = true;  // false: the NAT lets no UDP out (allow-outbound), nothing punches
};

// What theory says of a punch: it works, it fails, or it depends on which of
// the two first packets comes first (`race`).
enum class PunchExpectation { works, fails, race };
constexpr NameTable<PunchExpectation, 3> name_table(PunchExpectation) {
    return {{{PunchExpectation::works, "works"},
             {PunchExpectation::fails, "fails"},
             {PunchExpectation::race, "a race"}}};
}

// Both peers send at once, so either first packet may reach the other NAT
// before that NAT has sent anything to the peer. A NAT with a firewall drops
// it without a trace; a bare box whose mapping is endpoint-independent and
// whose filtering refuses the packet hands it to its own stack, which holds
// the tuple: its host's packets to that peer then leave from a new port, as
// under per-destination mapping. Where that changes the outcome, it is a race.
// Port allocation does not enter: the procedure predicts no ports, so a
// sequential symmetric NAT, predictable as it is, counts as symmetric.
PunchExpectation punch_expectation(const std::optional<PunchModel>& a,
                                   const std::optional<PunchModel>& b);

}  // namespace natlab
