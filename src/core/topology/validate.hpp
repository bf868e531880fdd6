#pragma once
// Topology -> Lab. Reports every problem at once; returns nullopt when there
// was any.
#include <optional>

#include "core/input/diagnostics.hpp"
#include "core/topology/lab.hpp"
#include "core/topology/model.hpp"

namespace natlab {

std::optional<Lab> validate(const Topology& topo, Diagnostics& diag);

// Why a lab or node name cannot be used, or "" when it can.
std::string name_problem(std::string_view name);
// Why an interface name cannot be used, or "" when it can.
std::string interface_name_problem(std::string_view name);

}  // namespace natlab
