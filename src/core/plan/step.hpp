#pragma once
// One thing the kernel must end up holding. A Plan is a list of these; the
// executor applies them so that each namespace sees its steps in plan order
// (plan/step_order), and every renderer reads them.
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "core/daemon/daemon_spec.hpp"
#include "core/portmap/port_mapping_service.hpp"
#include "core/topology/lab.hpp"
#include "core/util/ip.hpp"

namespace natlab {

// A namespace, bound under /run/netns, with loopback up and the lab's marker.
struct CreateNetns {
    std::string netns, lab, node;
    bool operator==(const CreateNetns&) const = default;
};
// A veth pair, each end created directly in its own namespace.
struct CreateVeth {
    std::string netns_a, node_a, ifname_a;
    std::string netns_b, node_b, ifname_b;
    int mtu = 0;
    // Interface indexes, each used once in the lab, so that the two ends of a
    // pair never share one (see Planner::add_veth).
    int index_a = 0, index_b = 0;
    MacAddress mac_a, mac_b;
    bool operator==(const CreateVeth&) const = default;
};
struct CreateBridge {
    std::string netns, node, ifname;
    // Its index is the lab's, as each veth end's: the kernel's next free one
    // could be the index a veth end made after it asks for.
    int index = 0;
    bool operator==(const CreateBridge&) const = default;
};
struct AttachToBridge {
    std::string netns, node, port, bridge;
    bool operator==(const AttachToBridge&) const = default;
};
struct SetSysctl {
    std::string netns, node, key, value;
    bool operator==(const SetSysctl&) const = default;
};
struct AddAddress {
    std::string netns, node, ifname;
    Cidr address;
    bool operator==(const AddAddress&) const = default;
};
struct SetLinkUp {
    std::string netns, node, ifname;
    bool operator==(const SetLinkUp&) const = default;
};
// The queueing disciplines that give what an interface sends its link's
// condition (core/condition/qdisc_settings); an empty one removes them.
struct SetLinkCondition {
    std::string netns, node, ifname;
    LinkCondition condition;
    bool operator==(const SetLinkCondition&) const = default;
};
struct AddRoute {
    std::string netns, node;
    Cidr destination;
    std::optional<IpAddress> gateway;  // none: on the device's link
    std::string device;                // "": the kernel finds it from the gateway
    bool operator==(const AddRoute&) const = default;
};
// A proxy neighbour entry: the node answers neighbour solicitations for
// `address` on `ifname` (with the interface's proxy_ndp sysctl on).
struct AddProxyNeighbour {
    std::string netns, node, ifname;
    IpAddress address;
    bool operator==(const AddProxyNeighbour&) const = default;
};
// Replaces the lab's nftables table of one family ("ip" or "ip6") in the
// namespace, atomically. When a table was there before, the namespace's
// conntrack flows of that family are flushed and then `reset` runs (nft
// commands emptying the sets bindings were learnt into).
struct ApplyRuleset {
    std::string netns, node, table, text, reset;
    std::string family = "ip";
    bool operator==(const ApplyRuleset&) const = default;
};

// Starts a systemd-nspawn container on the node's namespace without waiting
// for it; the executor waits for all of a lab's containers together.
struct StartContainer {
    std::string lab, netns, node, machine;
    std::string directory;  // the tree nspawn runs; for root 'host' the overlay's mount point
    std::string log;        // the container's output
    LabContainer container;
    std::string etc;  // the hosts and resolv.conf it binds (core/names/paths)
    bool operator==(const StartContainer&) const = default;
};

// Starts a NAT's port-mapping service in its namespace (its table, stund for
// its STUN check, then miniupnpd) once the NAT's interfaces are up, and waits
// until it listens.
struct StartPortMapping {
    std::string netns, node;
    PortMappingService service;
    bool operator==(const StartPortMapping&) const = default;
};

// Starts a network service in the node's namespace and waits until it is
// ready. It runs after every earlier step of its own namespace and of the
// namespaces in `after` (a DHCP client's server starts first), and changes
// nothing in those: later steps there do not wait for it.
struct StartDaemon {
    std::string netns, node;
    DaemonSpec daemon;
    std::vector<std::string> after;
    bool operator==(const StartDaemon&) const = default;
};

// Waits (10 s at most) until the interface holds a usable address of
// `prefix` that the kernel made from a router advertisement (SLAAC): a lab
// counts as created once its hosts have their addresses.
struct AwaitAddress {
    std::string netns, node, ifname;
    Cidr prefix;
    std::vector<std::string> after;  // the namespace of the router that advertises it
    bool operator==(const AwaitAddress&) const = default;
};

using Step =
    std::variant<CreateNetns, CreateVeth, CreateBridge, AttachToBridge, SetSysctl, AddAddress,
                 SetLinkCondition, SetLinkUp, AddRoute, AddProxyNeighbour, ApplyRuleset,
                 StartPortMapping, StartDaemon, AwaitAddress, StartContainer>;

// What is being done, for progress and error messages:
// "adding 10.0.1.1/24 to c0:eth0 in namespace demo-c0".
std::string describe(const Step& step);

}  // namespace natlab
