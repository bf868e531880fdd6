#pragma once
// isolate-inside: a NAT node whose inside networks do not reach each other
// through it, as libvirt's NAT networks (each network's traffic may leave by
// the outside, or stay on its own interface; the rest is rejected, as
// libvirt's REJECT rules answer it).
#include <string>

#include "core/nat/nat_node.hpp"

namespace natlab {

// The NAT's table of one family ("ip" or "ip6") with the isolating chain
// added, or made when the family had no table; unchanged when the node does
// not isolate or has one inside interface.
std::string with_inside_isolation(const NatNode& nat, const std::string& family, std::string table);

}  // namespace natlab
