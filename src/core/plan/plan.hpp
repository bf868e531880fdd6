#pragma once
// Lab -> Plan: everything the kernel must hold, in an order it can be made in
// (per namespace, the order it must be made in).
// Pure and deterministic: one lab gives one plan, byte for byte.
#include <string>
#include <vector>

#include "core/dhcp/dhcp_client.hpp"
#include "core/dhcp/dnsmasq_config.hpp"
#include "core/names/netns_name.hpp"
#include "core/plan/step.hpp"
#include "core/topology/lab.hpp"

namespace natlab {

struct Plan {
    std::string lab;
    std::vector<Step> steps;

    std::vector<std::string> namespaces() const;
};

Plan make_plan(const Lab& lab);

// Router or NAT `node`'s DHCP service, its files under the lab's dhcp/
// directory; and the client of one of a host's interfaces.
DhcpService dhcp_service(const Lab& lab, const LabNode& node);
DhcpClient dhcp_client(const std::string& lab, const std::string& node, const std::string& ifname);

}  // namespace natlab
