#pragma once
// A NAT node's nftables ruleset, rendered as text from the checked node. Pure:
// the golden-file tests pin every behaviour's rules.
#include <string>
#include <vector>

#include "core/nat/nat_node.hpp"

namespace natlab {

// The table natlab owns in every NAT namespace; nothing else is touched.
inline constexpr const char* kNatTable = "natlab";

// A flow's outbound packets refresh what its rules learnt at most once in
// this many milliseconds (the IPv4 NAT's bindings, the IPv6 filter state).
inline constexpr int kRefreshEveryMs = 200;

// allow-outbound's rules, for a chain on the forward hook: new flows out of
// `outside` (quoted for nft) to these ports pass, all others are dropped and
// counted; `icmp` names the family's ICMP in the comment.
std::string allowed_outbound_rules(const std::string& outside,
                                   const std::vector<AllowedPort>& ports, const char* icmp);

// A node whose external address is IPv6 (a NAT66) gets the same rules as
// `table ip6 natlab`.
std::string render_nat_rules(const NatNode& nat);

// IPv4 rules (or nft commands on them) written for the ip6 family.
std::string in_ip6_family(const std::string& ipv4_rules);

// The dynamic sets and maps the NAT's rules learn bindings into, as
// (kind, name): ("map", "eim"), ("set", "taken"), ...
std::vector<std::pair<std::string, std::string>> nat_stores(const NatNode& nat);

// The nft command that forgets which flows refreshed their bindings just now
// (their next packet refreshes them again); empty for a NAT that learns
// nothing. Whatever forgets bindings forgets these too, or a flow could go
// unlearnt for a moment.
std::string render_refresh_reset(const NatNode& nat);

// nft commands that empty the table's dynamic sets and maps: after a rule
// change they may hold bindings learnt from flows of the old rules.
std::string render_nat_reset(const NatNode& nat);

// nft commands that put `next`'s rules in place of `old`'s in one transaction
// (no moment without rules), keeping what the two declare alike: the sets and
// maps of learnt bindings and the refused counter. Its chains are made anew.
std::string render_nat_update(const NatNode& old, const NatNode& next);

// A NAT's conntrack settings as sysctls: flow accounting (natlab traffic),
// and the timeouts its binding lifetime needs where the kernel's defaults
// are not what was declared.
std::vector<std::pair<std::string, std::string>> nat_sysctls(const NatNode& nat);

}  // namespace natlab
