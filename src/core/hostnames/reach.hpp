#pragma once
// Whether a datagram from one node of a lab to an address gets there and its
// answer gets back, judged from the lab's declared routes alone. Pure.
//
// The lab's resolver must be asked only at addresses a node reaches: glibc
// asks the servers of resolv.conf in turn, skipping at once one it has no
// route to (the send fails), but waiting out its timeout (5 s) for one whose
// packets vanish further on: behind a NAT, in a network another site reuses,
// or on a path a router does not know.
#include "core/topology/lab.hpp"

namespace natlab {

// True when a UDP datagram from `from` (with the source address the kernel
// picks) reaches the node holding `to`, and the answer reaches `from` again.
// Each hop takes its longest matching connected subnet or route; a host
// forwards nothing; a NAT lets nothing in from outside that no inside node
// began (its IPv4 rules, or its IPv6 side's firewall, NAT66 or NPTv6; its
// IPv4 and NAT66 rules not even to the NAT itself), and an answer to what it
// translated comes back to it; a NAT with allow-outbound lets a question
// out only when it lists udp/53.
bool reaches(const Lab& lab, const LabNode& from, const IpAddress& to);

}  // namespace natlab
