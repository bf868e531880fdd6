#include "core/topology/node_lookup.hpp"

#include "core/util/invalid_input.hpp"
#include "core/util/text.hpp"

namespace natlab {

namespace {

std::vector<std::string> names_of_kind(const Lab& lab, std::optional<NodeKind> kind) {
    std::vector<std::string> names;
    for (const auto& n : lab.nodes)
        if (!kind || n.kind == *kind) names.push_back(n.name);
    return names;
}

// "'x' is not a host of lab L" or, for a name the lab lacks, "lab L has no node 'x'".
std::string not_one(const Lab& lab, const std::string& node, const std::string& what) {
    if (!lab.find_node(node)) return "lab " + lab.name + " has no node " + quote(node);
    return quote(node) + " is not " + what + " of lab " + lab.name;
}

// The nearest of `names` to a node the lab lacks (a node of another kind was
// not mistyped).
std::string nearest(const Lab& lab, const std::string& node, std::optional<NodeKind> kind) {
    return lab.find_node(node) ? "" : did_you_mean(node, names_of_kind(lab, kind));
}

}  // namespace

std::string node_names(const Lab& lab, std::optional<NodeKind> kind) {
    return join(names_of_kind(lab, kind), ", ");
}

const LabNode& require_node(const Lab& lab, const std::string& node, const std::string& command) {
    if (const LabNode* found = lab.find_node(node)) return *found;
    throw InvalidInput(command + ": " + not_one(lab, node, "a node") + "; its nodes are " +
                       node_names(lab) + nearest(lab, node, std::nullopt));
}

const LabNode& require_nat_node(const Lab& lab, const std::string& node, const std::string& what) {
    const LabNode* found = lab.find_node(node);
    if (!found || !found->nat) {
        throw InvalidInput("natlab: " + not_one(lab, node, "a nat node") +
                           "; only NAT nodes have " + what + "; its NAT nodes are " +
                           node_names(lab, NodeKind::nat) + nearest(lab, node, NodeKind::nat));
    }
    return *found;
}

const LabNode& require_host(const Lab& lab, const std::string& node, const std::string& command) {
    const LabNode* found = lab.find_node(node);
    if (!found || found->kind != NodeKind::host)
        throw InvalidInput(command + ": " + not_one(lab, node, "a host") + "; its hosts are " +
                           node_names(lab, NodeKind::host) + nearest(lab, node, NodeKind::host));
    return *found;
}

}  // namespace natlab
