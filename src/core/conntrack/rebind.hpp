#pragma once
// natlab rebind and natlab flush as data and nft commands: which mappings
// move, what the NAT's sets must forget of them, and the pause that keeps
// their packets from teaching it all again while conntrack forgets them.
// Pure.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/conntrack/flow.hpp"
#include "core/nat/nat_node.hpp"
#include "core/topology/lab.hpp"

namespace natlab {

// A mapping as conntrack holds it: an inside endpoint and its external port.
struct Rebinding {
    std::string protocol;  // "udp" or "tcp"
    Endpoint inside;
    std::uint16_t external_port = 0;
    bool operator==(const Rebinding&) const = default;
};

// Whose mappings move: everyone's, one host's, or one endpoint's.
struct InsideFilter {
    std::optional<IpAddress> host;
    std::optional<std::uint16_t> port;
    bool matches(const Endpoint& inside) const {
        return (!host || inside.ip == *host) && (!port || inside.port == *port);
    }
};

// "c0", "c0:5000", "10.0.1.2" or "10.0.1.2:5000": a node of `lab` (its first
// IPv4 address) or an address, and maybe a port. Throws InvalidInput naming
// the value and what it may be.
InsideFilter parse_inside_filter(const Lab& lab, const std::string& text);

// Why NAT node `name` cannot rebind, or "": the kernel's plain masquerade
// keeps no bindings of its own and would hand a flow its old port back.
std::string rebind_refusal(const NatNode& nat, const std::string& name);

// The outbound mappings among a NAT's flows, one per inside endpoint and
// external port, in the order first seen.
std::vector<Rebinding> live_mappings(const std::vector<ConntrackFlow>& flows,
                                     const InsideFilter& who);

// Whether `flow` goes through mapping `m`, opened from inside or from outside.
bool passes_through(const ConntrackFlow& flow, const Rebinding& m);

// The flows through these mappings, opened from inside or from outside.
std::vector<ConntrackFlow> flows_through(const std::vector<ConntrackFlow>& flows,
                                         const std::vector<Rebinding>& moves);

// A dynamic set or map of the NAT's as libnftables lists it in JSON.
struct StoreListing {
    std::string kind, name, json;
};

// nft commands, one transaction: the elements of the NAT's sets and maps
// that hold these mappings are deleted, and each old external port stays
// taken for `hold_s` seconds, as a NAT keeps a port it gave up a while, so
// the flow's next packet is given another.
std::string render_forget(const std::vector<StoreListing>& stores,
                          const std::vector<Rebinding>& moves, int hold_s);

// A chain that drops what matches one of `matches` (nft expressions; every
// packet when empty) before conntrack sees it, and the command that ends it.
std::string render_pause(const std::vector<std::string>& matches);
std::string render_resume();
// What pauses these mappings: the inside endpoints' packets, and what comes
// to their external ports.
std::vector<std::string> pause_matches(const std::vector<Rebinding>& moves,
                                       const IpAddress& external);

}  // namespace natlab
