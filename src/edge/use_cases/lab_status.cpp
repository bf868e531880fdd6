#include "edge/use_cases/lab_status.hpp"

#include <algorithm>
#include <stdexcept>

#include "core/lifecycle/live_changes.hpp"
#include "core/lifecycle/loaded_lab.hpp"
#include "core/names/netns_name.hpp"
#include "core/nat/render_ipv6.hpp"
#include "core/nat/render_nft.hpp"
#include "core/status/compare.hpp"
#include "core/switch/port_security.hpp"
#include "core/util/invalid_input.hpp"
#include "edge/hostnames/names_snapshot.hpp"
#include "edge/kernel/inspect.hpp"
#include "edge/kernel/netns.hpp"
#include "edge/kernel/nft.hpp"
#include "edge/system/process.hpp"
#include "edge/use_cases/dhcp_leases.hpp"
#include "edge/use_cases/listed_rules.hpp"
#include "edge/use_cases/live_lab.hpp"
#include "edge/use_cases/state_store.hpp"

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

bool has_dhcp_client(const LabNode& node) {
    return std::any_of(node.interfaces.begin(), node.interfaces.end(),
                       [](const LabInterface& i) { return !i.dhcp_server.empty(); });
}

std::optional<PortMappingSnapshot> port_mapping_snapshot(const std::string& lab,
                                                         const LabNode& node) {
    // The programs of every node that runs a daemon natlab started.
    bool port_mapping = node.nat && !node.nat->behaviour.port_mapping.empty();
    bool nat64 = node.nat && node.nat->nat64;
    if (!port_mapping && !nat64 && node.ra.empty()) return std::nullopt;
    PortMappingSnapshot snap;
    for (pid_t pid : processes_in_namespaces("net", {netns_path(netns_name(lab, node.name))}))
        snap.programs.push_back(process_program(pid));
    return snap;
}

// The NAT's table as the kernel lists it now; "" when it is gone.
std::string live_nat_table(const std::string& netns) {
    UniqueFd fd = open_netns(netns);
    if (!fd) return "";
    NetnsGuard guard(fd.get(), netns);
    NftContext nft;
    return listed_nat_table(nft);
}

// The NAT node the unfinished change gives other keys, as the lab with it
// declares it; nullopt when there is none, or the journal names keys the lab
// does not take (the change is then judged against nothing but the old).
std::optional<NatNode> unfinished_nat(const std::string& lab, const std::string& text,
                                      const LabState& state) {
    if (!state.pending || !state.pending->change.nat) return std::nullopt;
    std::vector<LiveChange> changes = state.changes;
    changes.push_back(state.pending->change);
    try {
        LoadedLab after = load_changed_lab(text, state.source, lab, changes);
        const LabNode* node = after.lab.find_node(state.pending->change.node);
        if (node && node->nat) return *node->nat;
    } catch (const InvalidInput&) {
    }
    return std::nullopt;
}

// Every NAT's live rules beside the declared ones (and the unfinished
// change's), all declared tables listed through one scratch namespace.
void add_rule_snapshots(const std::string& lab, const Lab& declared,
                        const std::optional<NatNode>& unfinished,
                        const std::string& unfinished_node,
                        std::map<std::string, NodeSnapshot>& snapshots) {
    std::vector<std::string> rulesets;
    std::vector<const LabNode*> nats;
    for (const auto& node : declared.nodes) {
        if (!node.nat || !snapshots[node.name].netns.exists) continue;
        nats.push_back(&node);
        rulesets.push_back(render_nat_tables(*node.nat));
    }
    if (unfinished) rulesets.push_back(render_nat_tables(*unfinished));
    std::vector<std::string> listed = listed_rulesets(rulesets);
    for (std::size_t i = 0; i < nats.size(); ++i) {
        NatRulesSnapshot rules{live_nat_table(netns_name(lab, nats[i]->name)), listed[i],
                               std::nullopt};
        if (unfinished && nats[i]->name == unfinished_node) rules.unfinished = listed.back();
        snapshots[nats[i]->name].rules = std::move(rules);
    }
}

// A switch's port-security counters, read from its bridge table.
std::optional<std::map<std::string, std::uint64_t>> port_drops(const std::string& lab,
                                                               const LabNode& node) {
    if (render_port_security_bridge(node.port_security).empty()) return std::nullopt;
    const std::string netns = netns_name(lab, node.name);
    UniqueFd fd = open_netns(netns);
    if (fd.get() < 0) return std::nullopt;
    NetnsGuard inside(fd.get(), netns);
    NftContext nft;
    std::string listed = nft.list_json(std::string("list counters table bridge ") + kNatTable);
    if (listed.empty()) return std::nullopt;
    std::map<std::string, std::uint64_t> drops;
    for (const auto& item :
         nlohmann::json::parse(listed).value("nftables", nlohmann::json::array()))
        if (item.contains("counter"))
            drops[item["counter"]["name"].get<std::string>()] =
                item["counter"]["packets"].get<std::uint64_t>();
    return drops;
}

std::optional<UnfinishedChange> unfinished_change(const std::string& lab, const LabState& state) {
    if (!state.pending) return std::nullopt;
    const PendingChange& p = *state.pending;
    UnfinishedChange u{p.change.node, change_command(lab, p), p.change.nat.has_value(),
                       std::nullopt};
    if (is_running(p.by)) u.running_pid = p.by.pid;
    return u;
}

}  // namespace

nlohmann::json lab_status(const std::string& lab) {
    check_lab_name(lab);
    auto state = load_state(lab);
    if (!state) throw InvalidInput(no_such_lab(lab));
    std::string text = load_topology_copy(lab);
    LoadedLab loaded = load_leased_lab(lab);
    std::map<std::string, NodeSnapshot> snapshots;
    for (const auto& node : loaded.lab.nodes) {
        snapshots[node.name] = {snapshot_netns(netns_name(lab, node.name)),
                                container_snapshot(*state, node),
                                port_mapping_snapshot(lab, node),
                                std::nullopt,
                                std::nullopt,
                                {},
                                port_drops(lab, node)};
        const bool runs_dns = loaded.lab.dns && loaded.lab.dns->node == node.name;
        if (runs_dns || !node.dhcp.empty() || has_dhcp_client(node))
            for (pid_t pid :
                 processes_in_namespaces("net", {netns_path(netns_name(lab, node.name))}))
                snapshots[node.name].programs.push_back(process_program(pid));
        // A create writes the names while it makes the network.
        if (state->complete) snapshots[node.name].names = names_snapshot(lab, node.name);
    }
    // A create that did not finish may not have loaded every table yet: it
    // is told, and the rules are not judged.
    if (state->complete)
        add_rule_snapshots(lab, loaded.lab, unfinished_nat(lab, text, *state),
                           state->pending ? state->pending->change.node : "", snapshots);
    return compare_lab(loaded.lab, {state->source, state->complete, unfinished_change(lab, *state)},
                       snapshots);
}

std::vector<std::string> labs_to_show() {
    return labs_with_state();
}

}  // namespace natlab
