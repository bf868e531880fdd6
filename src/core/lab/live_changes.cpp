#include "core/lab/live_changes.hpp"

#include "core/condition/validate_condition.hpp"

namespace natlab {
namespace {

void set_sender(Lab& lab, const std::string& node, const std::string& ifname,
                const LinkCondition& c) {
    for (auto& l : lab.links) {
        if (l.node_a == node && l.interface_a == ifname) l.a_sends = c;
        if (l.node_b == node && l.interface_b == ifname) l.b_sends = c;
    }
}

}  // namespace

void apply_live_changes(Lab& lab, const std::vector<LiveChange>& changes) {
    for (const auto& change : changes) {
        for (auto& node : lab.nodes) {
            if (node.name != change.node) continue;
            for (auto& iface : node.interfaces) {
                if (iface.name != change.ifname) continue;
                if (change.up) iface.down = !*change.up;
                if (change.condition) {
                    std::vector<std::string> problems;  // natlab wrote it: none
                    iface.condition = apply_condition_settings(
                        {}, settings_of_words(*change.condition), problems);
                    set_sender(lab, node.name, iface.name, iface.condition);
                }
            }
        }
    }
}

}  // namespace natlab
