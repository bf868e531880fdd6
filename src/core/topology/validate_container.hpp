#pragma once
// Resolves the container a node runs: its own section over the lab's
// defaults, every value checked and reported where it was written.
#include <optional>

#include "core/topology/lab.hpp"

namespace natlab {

// nullopt when the node runs no container. Hosts inherit the lab's top-level
// 'container:'; other kinds run one only when their own section asks for it;
// 'container: false' on a node opts out.
std::optional<LabContainer> resolve_container(const NodeSpec& node,
                                              const std::optional<ContainerSpec>& lab_default,
                                              Diagnostics& diag);

// Linux capability names as systemd-nspawn takes them ("CAP_NET_ADMIN").
const std::vector<std::string>& capability_names();

}  // namespace natlab
