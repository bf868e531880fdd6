#include "core/lab/live_changes.hpp"

#include "core/condition/validate_condition.hpp"
#include "core/topology/load.hpp"
#include "core/topology/validate.hpp"

namespace natlab {
namespace {

void set_sender(Lab& lab, const std::string& node, const std::string& ifname,
                const LinkCondition& c) {
    for (auto& l : lab.links) {
        if (l.node_a == node && l.interface_a == ifname) l.a_sends = c;
        if (l.node_b == node && l.interface_b == ifname) l.b_sends = c;
    }
}

NodeSpec* find_node_spec(Topology& topo, const std::string& name) {
    for (auto& n : topo.nodes)
        if (n.name.value == name) return &n;
    return nullptr;
}

// The journal's NAT keys over the file's. natlab wrote them, after checking
// them: a problem now would be a journal edited by hand, and the lab's
// check that follows reports what it makes wrong.
void apply_nat_changes(Topology& topo, const std::vector<LiveChange>& changes,
                       std::vector<std::string>& problems) {
    for (const auto& change : changes)
        if (NodeSpec* node = change.nat ? find_node_spec(topo, change.node) : nullptr)
            apply_nat_settings(node->nat, nat_settings_of_words(*change.nat), problems);
}

// The journal's conditions, parsed as apply_live_changes will.
void check_condition_changes(const std::vector<LiveChange>& changes,
                             std::vector<std::string>& problems) {
    for (const auto& change : changes)
        if (change.condition)
            apply_condition_settings({}, settings_of_words(*change.condition), problems);
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
                    std::vector<std::string> problems;  // told by load_changed_lab
                    iface.condition = apply_condition_settings(
                        {}, settings_of_words(*change.condition), problems);
                    set_sender(lab, node.name, iface.name, iface.condition);
                }
            }
        }
    }
}

LoadedLab load_changed_lab(const std::string& text, const std::string& source,
                           const std::string& lab, const std::vector<LiveChange>& changes) {
    Diagnostics diag(source);
    Topology topo = load_topology(text, source, diag);
    std::vector<std::string> problems;
    apply_nat_changes(topo, changes, problems);
    check_condition_changes(changes, problems);
    for (const auto& p : problems) diag.error({}, "in the lab's journal of changes: " + p);
    LoadedLab loaded = plan_topology(topo, text, diag, lab);
    apply_live_changes(loaded.lab, changes);
    return loaded;
}

std::vector<std::string> nat_settings_problems(const std::string& text, const std::string& source,
                                               const std::string& lab,
                                               const std::vector<LiveChange>& changes,
                                               const std::string& nat,
                                               const NatSettings& settings) {
    Diagnostics diag(source);
    Topology topo = load_topology(text, source, diag);
    topo.name.value = lab;
    std::vector<std::string> problems;
    apply_nat_changes(topo, changes, problems);
    NodeSpec* node = find_node_spec(topo, nat);
    if (!node) return {"lab " + lab + " has no node " + nat};
    apply_nat_settings(node->nat, settings, problems);
    if (!problems.empty()) return problems;
    Diagnostics checked(source);
    validate(topo, checked);
    return checked.messages();
}

}  // namespace natlab
