#pragma once
// A NAT's translation table as a person reads it: each inside endpoint, the
// public endpoint it is mapped to, the remote peers it talks with, who may
// come in through it, and for how long. Built from the conntrack table and
// the NAT's own learnt bindings (its nftables maps). Pure.
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/conntrack/describe_flow.hpp"
#include "core/conntrack/flow.hpp"
#include "core/conntrack/peer_names.hpp"
#include "core/nat/behaviour.hpp"
#include "core/nat/ipv6_side.hpp"

namespace natlab {

// What the NAT's rules have learnt (nft list table -j): endpoint-independent
// bindings and, for address-dependent filtering, the addresses each external
// port has sent to. Both with the seconds until they expire.
struct LearntBinding {
    std::string protocol;
    Endpoint inside, outside;
    std::optional<int> expires_s;
};
struct LearntPeer {
    std::string protocol;
    IpAddress remote;
    int outside_port = 0;
    // Among several outsides, the address of the one that learnt it.
    std::optional<IpAddress> outside_address;
    std::optional<int> expires_s;
};
struct NatState {
    std::vector<LearntBinding> bindings;
    std::vector<LearntPeer> peers;
};
// Reads what libnftables prints as JSON for the NAT's maps and sets (each
// document may be empty: that map does not exist for this behaviour).
NatState parse_nat_state(const std::vector<std::string>& nft_json_documents);

struct MappingPeer {
    Endpoint remote;
    bool inbound = false;  // the flow was opened from outside
    bool replied = false;
    std::optional<int> timeout_s;
};

struct MappingRow {
    std::string protocol;
    Endpoint inside, outside;
    std::vector<MappingPeer> peers;        // live conntrack flows through the mapping
    std::optional<int> binding_expires_s;  // the NAT's own binding, when it keeps one
    std::string allowed_in;                // who may send in through the mapping, in words
    bool permanent = false;                // a one-to-one NAT's: it never expires
    // false: an IPv6 side that translates nothing (firewall, routed): the
    // inside endpoint is its own public one, and the row is the firewall's
    // pinhole for it.
    bool translated = true;
};

// IPv4's table: the NAT's IPv4 flows.
std::vector<MappingRow> mapping_table(const std::vector<ConntrackFlow>& flows,
                                      const NatState& state, const NatBehaviour& behaviour);

// The IPv6 side's table, from the NAT's IPv6 flows. nat66 and nptv6 map as
// IPv4 does (`state`: what the ip6 table learnt); the firewall and routed
// modes translate nothing, so each inside endpoint (an address of the side's
// inside networks) that talks across the node is a row of its own endpoint.
std::vector<MappingRow> ipv6_mapping_table(const std::vector<ConntrackFlow>& flows,
                                           const NatState& state, const Ipv6Side& side);

// "full-cone (endpoint-independent mapping, endpoint-independent filtering)".
std::string behaviour_words(const NatBehaviour& behaviour);

// Endpoints named as the NAT sees them (peer_names).
std::string render_mapping_table(const std::vector<MappingRow>& rows, const PeerNames& names);
nlohmann::json mapping_table_json(const std::vector<MappingRow>& rows, const PeerNames& names);

}  // namespace natlab
