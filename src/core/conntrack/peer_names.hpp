#pragma once
// What an address a NAT talks with is, seen from that NAT: a node of the lab
// ("rendezvous"), another NAT's external address, so the host(s) behind it
// ("hb via nat-b"), or a private address of another site, which no packet
// leaving this NAT's outside can reach ("behind nat-b"). Pure: from the lab's
// nodes, links and NATs alone.
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/topology/lab.hpp"
#include "core/util/ip.hpp"

namespace natlab {

struct PeerName {
    std::string node;    // the node that holds the address; "" when none does
    std::string name;    // "rendezvous", "hb via nat-b", "ha or hb via nat-b"; "" when no node
    std::string via;     // the NAT whose external address it is, if one (not this NAT)
    std::string behind;  // the NAT that hides it from this NAT's outside, if one
    // Whether a packet from this NAT can get there (its own site, or what its
    // outside leads to); nullopt for an address no node of the lab holds.
    std::optional<bool> reachable;
};

class PeerNames {
  public:
    // `nat` must be a NAT node of `lab`; nothing of `lab` is kept.
    PeerNames(const Lab& lab, const std::string& nat);

    // A remote address the NAT sees (a peer of one of its mappings).
    PeerName remote(const IpAddress& address) const;
    // "hb via nat-b 100.64.2.100:5000", "rendezvous 203.0.113.7:3478",
    // "10.0.2.2:5000 (hb, behind nat-b: unreachable from nat-a's outside)",
    // or the endpoint alone when no node holds its address.
    std::string remote_endpoint(const Endpoint& e) const;
    // An inside endpoint: its node behind this NAT ("c0"), when one holds it.
    std::optional<std::string> inside_node(const IpAddress& address) const;
    // "c0 10.0.1.2:41807", or the endpoint alone.
    std::string inside_endpoint(const Endpoint& e) const;

  private:
    struct Owner {
        std::string node, interface;
    };
    struct NatSide {
        std::set<IpAddress> external;  // its outside interface's addresses and its pool
        std::string host_words;        // "hb", "ha or hb", "one of 4 hosts"; "" with none
        std::set<std::string> behind;  // every node behind it
    };
    enum class Reach { none, outside_only, all };

    bool reachable(const Owner& o) const;
    int rank(const Owner& o) const;
    const Owner* best_owner(const IpAddress& address, bool inside) const;
    std::string name_of(const Owner& o, const IpAddress& address) const;
    std::string hiding_nat(const Owner& o) const;

    std::string nat_;
    std::multimap<IpAddress, Owner> owners_;  // in the lab's order
    std::map<std::string, NatSide> nats_;
    std::map<std::string, std::set<std::string>> outside_of_;  // NAT -> its outside interfaces
    std::map<std::string, Reach> reach_;                       // from this NAT's outside
    std::vector<std::string> frontier_;  // NATs met from their outside, nearest first
};

}  // namespace natlab
