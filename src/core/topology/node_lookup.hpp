#pragma once
// Finding a lab's nodes by name for a command, with messages that say what
// would have been right.
#include <optional>
#include <string>

#include "core/topology/lab.hpp"

namespace natlab {

// "c0, c1, nat0": the lab's nodes (of one kind, when given).
std::string node_names(const Lab& lab, std::optional<NodeKind> kind = std::nullopt);

// The node `node` of the lab, or InvalidInput naming the lab's nodes and the
// nearest names; `command` starts the message ("natlab exec").
const LabNode& require_node(const Lab& lab, const std::string& node, const std::string& command);

// The NAT node `node` of the lab, or InvalidInput saying that only NAT nodes
// have `what` ("rules", "mappings").
const LabNode& require_nat_node(const Lab& lab, const std::string& node, const std::string& what);

// The host `node` of the lab, or InvalidInput naming its hosts; `command`
// starts the message ("natlab punch").
const LabNode& require_host(const Lab& lab, const std::string& node, const std::string& command);

}  // namespace natlab
