#pragma once
// Checks a switch's 'port-security:' against its ports and resolves each
// port's MAC from the interface at the other end of its link.
#include <vector>

#include "core/input/diagnostics.hpp"
#include "core/switch/port_security.hpp"
#include "core/topology/lab.hpp"
#include "core/topology/model.hpp"

namespace natlab {

// Every port of the switch with its policy (defaults where none is
// written), or nothing when the switch has no 'port-security:'.
std::vector<PortSecurity> check_port_security(const NodeSpec& spec, const LabNode& node,
                                              const std::vector<LabLink>& links, Diagnostics& diag);

}  // namespace natlab
