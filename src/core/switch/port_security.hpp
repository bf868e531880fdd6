#pragma once
// A switch port's security policy, as the virtual switches users know have
// it (VMware's standard and distributed switches): forged transmits, MAC
// address changes and promiscuous mode, each accept or reject. The port's
// MAC is the one of the interface at its other end, which natlab gives.
#include <optional>
#include <string>
#include <vector>

#include "core/input/marked.hpp"
#include "core/util/mac.hpp"

namespace natlab {

// As written under a switch's 'port-security:', keyed by the port.
struct PortSecuritySpec {
    Marked<std::string> port;
    std::optional<Marked<std::string>> forged_transmits, mac_changes, promiscuous;
};

// The defaults are the Linux bridge's own behaviour: any source MAC passes,
// a host that changes its MAC is reached at the new one, and a port gets
// the frames the bridge's learning sends it (unicast to other hosts only
// while their MAC is unknown, as any learning switch floods).
struct PortSecurity {
    std::string port;  // the switch's interface
    MacAddress mac;    // the host's, at the other end of the port's link
    std::string host;  // "vm:eth0", for comments and status
    bool reject_forged_transmits = false;
    bool reject_mac_changes = false;
    bool accept_promiscuous = false;
    bool operator==(const PortSecurity&) const = default;
};

// `table bridge natlab`: drops (counted per port and policy) of forged
// transmits and of unicast to a MAC the host was not given; "" when no port
// rejects anything.
std::string render_port_security_bridge(const std::vector<PortSecurity>& ports);

// `table netdev natlab`: copies of what every other port receives go to
// each port that accepts promiscuous mode; "" when none does.
std::string render_port_security_netdev(const std::vector<PortSecurity>& ports);

// The named counter of a port's drops under one policy: "forged_vm".
std::string port_security_counter(const std::string& policy, const std::string& port);

}  // namespace natlab
