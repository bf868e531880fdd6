#include "core/names/netns_etc.hpp"

#include "core/names/paths.hpp"
#include "core/topology/validate.hpp"

namespace natlab {

std::string netns_etc_path(const std::string& netns) {
    return std::string(kNetnsEtcDir) + "/" + netns;
}

std::string netns_etc_target(const std::string& lab, const std::string& node) {
    return node.empty() ? lab_etc_dir(lab) : node_etc_dir(lab, node);
}

std::optional<LabMarker> netns_etc_owner(const std::string& name, const std::string& target) {
    // A node's own directory: the lab's, with the node the name gives.
    if (auto slash = target.rfind('/'); slash != std::string::npos) {
        auto owner = netns_etc_owner(name, target.substr(0, slash));
        if (owner && netns_etc_target(owner->lab, owner->node) == target) return owner;
    }
    const std::string root = std::string(kStateRoot) + "/", tail = "/etc";
    if (target.size() <= root.size() + tail.size() || target.rfind(root, 0) != 0 ||
        target.compare(target.size() - tail.size(), tail.size(), tail) != 0)
        return std::nullopt;
    LabMarker owner{target.substr(root.size(), target.size() - root.size() - tail.size()), ""};
    // Anyone may make a link in /etc/netns: only the exact shape natlab
    // writes, with names it accepts, is its own.
    if (!name_problem(owner.lab).empty() || netns_etc_target(owner.lab) != target)
        return std::nullopt;
    if (name.size() <= owner.lab.size() + 1 || name.rfind(owner.lab + "-", 0) != 0)
        return std::nullopt;
    owner.node = name.substr(owner.lab.size() + 1);
    if (!name_problem(owner.node).empty()) return std::nullopt;
    return owner;
}

}  // namespace natlab
