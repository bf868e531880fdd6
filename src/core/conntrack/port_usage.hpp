#pragma once
// How much of a NAT's port range its bindings hold, and how many new flows it
// refused rather than give them a port another inside endpoint holds: read
// from the NAT's @taken set and its `refused` counter, as libnftables prints
// them in JSON. Pure.
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/conntrack/flow.hpp"
#include "core/nat/behaviour.hpp"

namespace natlab {

struct PortUsage {
    PortRange range;                  // the ports new mappings are given
    std::map<std::string, int> held;  // "udp" -> ports of the range an inside endpoint holds
    long refused = 0;                 // new flows dropped since the rules were loaded
    int addresses = 1;                // external addresses the range is offered on (a pool)

    int size() const { return (range.last - range.first + 1) * addresses; }
    bool exhausted(const std::string& protocol) const;
};

// Nothing for the kernel's plain masquerade, which keeps no such set.
std::optional<PortUsage> port_usage(const std::string& taken_json, const std::string& counter_json,
                                    const NatBehaviour& behaviour);

// Every port number a new flow through the NAT could not be given as it is:
// the outside ports of its conntrack flows and of its @taken set (whose
// bindings outlive their flows), whatever the protocol. verify picks inside
// ports outside this set, or a NAT that preserves ports would seem not to.
std::set<std::uint16_t> ports_in_use(const std::vector<ConntrackFlow>& flows,
                                     const std::string& taken_json);

// "ports: udp 100 of 100 (20000-20099) held: exhausted, new udp mappings are
// refused; 20 new flows refused so far"
std::string describe_port_usage(const PortUsage& usage);
nlohmann::json port_usage_json(const PortUsage& usage);

}  // namespace natlab
