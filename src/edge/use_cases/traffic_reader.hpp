#pragma once
// natlab traffic's reading side: every NAT node's conntrack table, with the
// counts flow accounting keeps.
#include <string>

#include "core/traffic/lab_traffic.hpp"

namespace natlab {

// Throws InvalidInput (exit 2) when there is no such lab.
TrafficReport read_traffic(const std::string& lab);

}  // namespace natlab
