#pragma once
// natlab traffic: who talked with whom across the lab's NATs, directly (the
// two peers' public endpoints, as hole punching makes it) or through a third
// node (a rendezvous or relay), from the flows each NAT's conntrack table
// counts. Pure: the NATs' flows in, the report out.
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/conntrack/flow.hpp"
#include "core/topology/lab.hpp"

namespace natlab {

struct NatFlows {
    std::string nat;
    std::vector<ConntrackFlow> flows;
};

// One conversation as the NATs saw it: `host` is behind a NAT; `peer` is
// another NAT'ed host (direct) or a node the host reached straight.
struct Talk {
    std::string protocol;
    std::string host, peer;             // node names; peer is "" when no node holds it
    std::string peer_words;             // "hb via nat-b", "relay": how it is shown
    Endpoint host_public, peer_public;  // as the packets between them carried them
    FlowCount host_sent, peer_sent;     // at the host's NAT: out, and what came back in
    FlowCount reached_peer;             // direct: what the peer's NAT let in to the peer
    bool direct = false;                // peer is a host behind another NAT
};

struct PairTraffic {
    std::string a, b;                          // hosts, a < b
    FlowCount a_to_b, b_to_a;                  // direct
    std::map<std::string, FlowCount> through;  // node -> both legs together
    // "direct", "direct one way", "through NODE", "through NODE and NODE".
    std::string verdict() const;
};

struct TrafficReport {
    std::vector<Talk> talks;
    std::vector<PairTraffic> pairs;
};

TrafficReport lab_traffic(const Lab& lab, const std::vector<NatFlows>& nats);

std::string render_traffic(const TrafficReport& report);
nlohmann::json traffic_json(const TrafficReport& report);

// "1.2 KB", "830 B", "4.0 MB".
std::string byte_words(std::uint64_t bytes);

}  // namespace natlab
