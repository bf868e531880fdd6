#pragma once
// What a live namespace holds, as plain data: the kernel side reads it, the
// status comparison judges it against the topology.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/condition/condition.hpp"
#include "core/util/ip.hpp"

namespace natlab {

struct LinkInfo {
    int index = 0;
    std::string name, alias;
    bool up = false;
    int mtu = 0;
    LinkCondition condition;  // from its queueing disciplines, as natlab sets them
};

struct AddressInfo {
    int ifindex = 0;
    Cidr address;
};

struct RouteInfo {
    Cidr destination;
    std::optional<IpAddress> gateway;
    int ifindex = 0;  // the interface it leaves by; 0: unknown
    // A route without a gateway put there on purpose (natlab's, or by hand),
    // not the one the kernel makes for an address's subnet.
    bool on_link_added = false;
};

// A proxy neighbour entry (ip -6 neigh show proxy).
struct ProxyNeighbourInfo {
    int ifindex = 0;
    IpAddress address;
};

struct NetnsSnapshot {
    bool exists = false;
    std::vector<LinkInfo> links;
    std::vector<AddressInfo> addresses;
    std::vector<RouteInfo> routes;
    std::vector<ProxyNeighbourInfo> proxy_neighbours;
};

// A node's container as it runs now: its PID 1, when it runs.
struct ContainerSnapshot {
    std::optional<int> leader_pid;
};

// A NAT's port-mapping service as it runs now: the programs running in the
// NAT's namespace ("miniupnpd", "stund", ...).
struct PortMappingSnapshot {
    std::vector<std::string> programs;
};

// A NAT's nftables table as libnftables lists it in JSON ("" when it is
// gone), beside the declared one loaded in a scratch namespace and listed
// the same way, so that both are in the kernel's own words.
struct NatRulesSnapshot {
    std::string live, declared;
    // The table the lab's unfinished change declares, when it is this NAT's.
    std::optional<std::string> unfinished;
};

// A node's names (core/hostnames) as they are on disk now.
struct NamesSnapshot {
    bool files = false;  // its hosts and resolv.conf under /run/natlab
    // Its /etc/netns entry is natlab's link for it; nullopt where none is
    // made (a lab without root).
    std::optional<bool> netns_etc;
};

struct NodeSnapshot {
    NetnsSnapshot netns;
    std::optional<ContainerSnapshot> container;       // for nodes that declare one
    std::optional<PortMappingSnapshot> port_mapping;  // for NATs that offer it
    std::optional<NatRulesSnapshot> rules;            // for NATs, once the lab is complete
    std::optional<NamesSnapshot> names;               // once the lab is complete
    // The programs running in its namespace, for nodes that run the lab's
    // DNS server ("unbound"), serve DHCP or take an address by it ("dnsmasq",
    // "udhcpc").
    std::vector<std::string> programs;
    // A switch with port security: its drop counters by name ("forged_vm"),
    // as the kernel counts them; none when its table is missing.
    std::optional<std::map<std::string, std::uint64_t>> port_drops;
};

}  // namespace natlab
