#pragma once
// What natlab graph says about a lab, before it is drawn: the lines that
// describe each node and each end of a link, which side of a NAT an
// interface is on, and the legend's words. Shared by the DOT and Mermaid
// renderers so both pictures say the same. Pure.
#include <array>
#include <string>
#include <vector>

#include "core/topology/lab.hpp"

namespace natlab {

// Which side of a NAT an interface is on; `none` on nodes that do not translate.
enum class NatSide { none, inside, outside };
NatSide nat_side(const LabNode& node, const std::string& ifname);
// "inside", "outside" or "".
const char* nat_side_word(NatSide side);

// A NAT's behaviour, a line each: "NAT: full-cone", "preset: home-router",
// "mapping EI, filtering APD", "ports: preserve", then what else it declares
// (pool, port block, hairpinning, no firewall, forwards, allowed ports), and
// last its IPv6 side (ipv6_line).
std::vector<std::string> nat_lines(const NatNode& nat);
// A switch's ports whose policy is not the Linux bridge's own: "port vm:
// forged transmits rejected, MAC changes rejected".
std::vector<std::string> port_security_lines(const LabNode& node);

// "IPv6: firewall, filtering EI", "IPv6: firewall off", "IPv6: routed",
// "IPv6: NPTv6 to 2001:db8:ff::/64", "IPv6: NAT66 symmetric, mapping APD,
// filtering APD".
std::string ipv6_line(const Ipv6Side& side);

// "DNS server (unbound), DNS64 64:ff9b::/96, 2 declared names" on the node
// that runs the lab's DNS server; "" on every other.
std::string dns_line(const Lab& lab, const LabNode& node);

// One end of a link as a picture labels it.
struct GraphEnd {
    std::string node, ifname;
    NodeKind kind = NodeKind::host;
    NatSide side = NatSide::none;
    std::vector<std::string> addresses;  // "10.0.1.1/24"
    std::string sends;                   // its link condition in words, or ""
    int mtu = 0;                         // 0: the kernel's default
};
GraphEnd graph_end(const Lab& lab, const LabLink& link, bool a_end);

// Whether a picture drawn left to right puts the link's second end first: the
// public side goes to the left, so a NAT's outside link comes in from the
// left and its inside links leave to the right. Where no NAT decides, a host
// goes right of what it hangs on (a switch, a router). Otherwise the file's
// order stays.
bool draw_b_first(const GraphEnd& a, const GraphEnd& b);

// The legend's explanation of one RFC 4787 class, for mapping and for filtering.
struct DependenceWords {
    const char* short_name;  // "EI"
    const char* name;        // "endpoint-independent"
    const char* mapping;     // one sentence
    const char* filtering;   // one sentence
};
const std::array<DependenceWords, 3>& dependence_words();
const char* short_dependence(Dependence d);

// The legend's other lines, each one sentence.
inline constexpr const char* kInsideWords =
    "a NAT's private side (blue): hosts there are translated on their way out";
inline constexpr const char* kOutsideWords =
    "a NAT's public side (orange): what leaves it carries the NAT's address";
inline constexpr const char* kSendsWords =
    "sends: what that end does to the packets it sends (delay, jitter, loss, rate)";
inline constexpr const char* kPortsWords =
    "ports: how a new mapping's port is chosen (preserve: the inside port when free)";

bool has_nat(const Lab& lab);

}  // namespace natlab
