#pragma once
// YAML text -> Topology. Structural checks only (types, keys, value syntax);
// semantic checks live in validate.hpp. Problems go to diagnostics; the
// returned topology holds whatever could be read.
#include <string_view>

#include "core/input/diagnostics.hpp"
#include "core/topology/model.hpp"

namespace natlab {

Topology load_topology(std::string_view yaml_text, const std::string& file, Diagnostics& diag);

}  // namespace natlab
