#include "cli/common.hpp"

#include <unistd.h>

#include <stdexcept>

#include "core/plan/plan.hpp"
#include "core/util/text.hpp"
#include "edge/kernel/netns.hpp"

namespace natlab {

void require_root(const std::string& command) {
    if (::geteuid() != 0) {
        throw std::runtime_error(
            command + " needs root: it works on network namespaces; run it as root (e.g. sudo)");
    }
}

std::string node_names(const Lab& lab, std::optional<NodeKind> kind) {
    std::vector<std::string> names;
    for (const auto& n : lab.nodes)
        if (!kind || n.kind == *kind) names.push_back(n.name);
    return join(names, ", ");
}

UniqueFd open_node_netns(const std::string& lab, const std::string& node) {
    std::string netns = netns_name(lab, node);
    UniqueFd fd = open_netns(netns);
    if (!fd) throw std::runtime_error("namespace " + netns + " is missing; see 'natlab status'");
    return fd;
}

const LabNode& require_nat_node(const LoadedLab& loaded, const std::string& node,
                                const std::string& what) {
    const LabNode* found = loaded.lab.find_node(node);
    if (!found || found->kind != NodeKind::nat) {
        throw InvalidInput("natlab: " + quote(node) + " is not a nat node of lab " +
                           loaded.lab.name + "; only NAT nodes have " + what);
    }
    return *found;
}

}  // namespace natlab
