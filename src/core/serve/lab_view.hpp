#pragma once
// What a natlab serve page draws of a lab, as JSON: every node with the
// lines natlab graph prints for it, every interface with its side of a NAT,
// every link with what each end sends and whether it is down. Pure: the
// live parts (mappings, flows, leases) are added by the server.
#include <nlohmann/json.hpp>

#include "core/topology/lab.hpp"

namespace natlab {

nlohmann::json lab_view_json(const Lab& lab);

}  // namespace natlab
