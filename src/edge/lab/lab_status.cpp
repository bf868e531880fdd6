#include "edge/lab/lab_status.hpp"

#include "core/lab/live_changes.hpp"

#include <stdexcept>

#include "core/lab/loaded_lab.hpp"
#include "core/status/compare.hpp"
#include "core/util/invalid_input.hpp"
#include "edge/kernel/inspect.hpp"
#include "edge/kernel/netns.hpp"
#include "edge/kernel/process.hpp"
#include "edge/lab/live_lab.hpp"
#include "edge/lab/state_store.hpp"

namespace natlab {
namespace {

std::optional<ContainerSnapshot> container_snapshot(const LabState& state, const LabNode& node) {
    if (!node.container) return std::nullopt;
    ContainerSnapshot snap;
    const ContainerRecord* record = state.find_container(node.name);
    if (record && record->leader && is_running(*record->leader))
        snap.leader_pid = record->leader->pid;
    return snap;
}

std::optional<PortMappingSnapshot> port_mapping_snapshot(const std::string& lab,
                                                         const LabNode& node) {
    if (!node.nat || node.nat->behaviour.port_mapping.empty()) return std::nullopt;
    PortMappingSnapshot snap;
    for (pid_t pid : processes_in_namespaces("net", {netns_path(netns_name(lab, node.name))}))
        snap.programs.push_back(process_program(pid));
    return snap;
}

}  // namespace

nlohmann::json lab_status(const std::string& lab) {
    check_lab_name(lab);
    auto state = load_state(lab);
    if (!state) throw InvalidInput(no_such_lab(lab));
    LoadedLab loaded =
        load_changed_lab(load_topology_copy(lab), state->source, lab, state->changes);
    std::map<std::string, NodeSnapshot> snapshots;
    for (const auto& node : loaded.lab.nodes) {
        snapshots[node.name] = {snapshot_netns(netns_name(lab, node.name)),
                                container_snapshot(*state, node), port_mapping_snapshot(lab, node)};
    }
    return compare_lab(loaded.lab, {state->source, state->complete}, snapshots);
}

std::vector<std::string> labs_to_show() {
    return labs_with_state();
}

}  // namespace natlab
