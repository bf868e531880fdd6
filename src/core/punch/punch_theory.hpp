#pragma once
// What UDP hole punching through two NATs should do, derived from their
// RFC 4787 classes, for the procedure natlab punch follows: both peers learn
// each other's endpoint from a rendezvous server, both send to it, and a
// peer that hears from an endpoint it did not expect also sends there
// (a peer-reflexive endpoint, as ICE does). Pure.
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

}  // namespace natlab
