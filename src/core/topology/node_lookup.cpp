#include "core/topology/node_lookup.hpp"

#include "core/util/invalid_input.hpp"
#include "core/util/text.hpp"

namespace natlab {

std::string node_names(const Lab& lab, std::optional<NodeKind> kind) {
    std::vector<std::string> names;
    for (const auto& n : lab.nodes)
        if (!kind || n.kind == *kind) names.push_back(n.name);
    return join(names, ", ");
}

const LabNode& require_nat_node(const Lab& lab, const std::string& node, const std::string& what) {
    const LabNode* found = lab.find_node(node);
    if (!found || !found->nat) {
        throw InvalidInput("natlab: " + quote(node) + " is not a nat node of lab " + lab.name +
                           "; only NAT nodes have " + what + "; its NAT nodes are " +
                           node_names(lab, NodeKind::nat));
    }
    return *found;
}

const LabNode& require_host(const Lab& lab, const std::string& node, const std::string& command) {
    const LabNode* found = lab.find_node(node);
    if (!found || found->kind != NodeKind::host)
        throw InvalidInput(command + ": " + quote(node) + " is not a host of lab " + lab.name +
                           "; its hosts are " + node_names(lab, NodeKind::host));
    return *found;
}

}  // namespace natlab
