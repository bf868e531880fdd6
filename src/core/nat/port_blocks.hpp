#pragma once
// Deterministic port blocks (RFC 7422): each inside address (a subscriber)
// is given one external address and one block of ports, computed from its
// place among the NAT's inside addresses, so who held an external port at
// any time follows from the configuration alone, with no per-flow log. Pure.
#include <optional>
#include <string>
#include <vector>

#include "core/nat/nat_node.hpp"

namespace natlab {

struct PortBlock {
    IpAddress subscriber;  // an inside address
    IpAddress external;
    PortRange ports;
    bool operator==(const PortBlock&) const = default;
};

// Subscribers are every host address of the inside networks, in order;
// external addresses are the pool (else the outside address), each cut into
// blocks of `port_block` ports of the allocation range, filled address by
// address. Nothing when the NAT has no port-block.
std::vector<PortBlock> port_blocks(const NatNode& nat);

// Why the blocks do not fit (more subscribers than blocks), or nothing.
std::optional<std::string> port_blocks_problem(const NatNode& nat);

}  // namespace natlab
