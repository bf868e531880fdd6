#pragma once
// Where a probe runs: the client in a host behind a NAT, the server on the
// NAT's public side with two addresses (its own and a spare one from the same
// subnet, added for the probe). Pure: decided from the lab alone.
#include <optional>
#include <string>

#include "core/topology/lab.hpp"

namespace natlab {

struct ProbeTarget {
    std::string host;  // where the client runs
    std::string nat;   // the NAT measured: the host's default gateway
    std::string server_node;
    std::string server_ifname;
    Cidr primary;    // an address the server node has
    Cidr alternate;  // a spare address of the same subnet, added for the probe
    // The host's side of its link to the NAT, and a spare address there that
    // verify adds as a second inside host (none when the subnet is full).
    std::string host_ifname;
    std::optional<Cidr> host_spare;
    Family family = Family::ipv4;  // what is probed: the NAT's IPv4 or its IPv6 side
};

// Throws InvalidInput naming the fix. An empty `server` means: the lab's
// probe-server, else the node the NAT's default route leads to. Over IPv6
// the routes and addresses are the IPv6 ones: the NAT's IPv6 side is probed.
ProbeTarget probe_target(const Lab& lab, const std::string& host, const std::string& server,
                         Family family = Family::ipv4);

// The first host whose default route of `family` leads straight to `nat`.
std::optional<std::string> host_behind(const Lab& lab, const std::string& nat,
                                       Family family = Family::ipv4);

}  // namespace natlab
