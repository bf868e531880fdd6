#include "edge/use_cases/change_dhcp.hpp"

#include "core/dhcp/dnsmasq_config.hpp"
#include "core/lifecycle/live_changes.hpp"
#include "core/names/netns_name.hpp"
#include "core/plan/plan.hpp"
#include "core/util/invalid_input.hpp"
#include "core/util/text.hpp"
#include "edge/daemons/daemon.hpp"
#include "edge/use_cases/locked_lab.hpp"
#include "edge/use_cases/node_netns.hpp"
#include "edge/use_cases/state_store.hpp"

namespace natlab {
namespace {

// The node's dnsmasq stopped and started again as `node` declares it.
void restart_server(const Lab& lab, const LabNode& node) {
    stop_daemons(netns_name(lab.name, node.name), {kDhcpServerProgram});
    UniqueFd fd = open_node_netns(lab.name, node.name);
    start_daemon(dhcp_server_daemon(dhcp_service(lab, node)), fd.get(),
                 "starting the DHCP server of " + node.name + " again");
}

}  // namespace

std::vector<DhcpServer> set_dhcp(const std::string& lab, const std::string& node,
                                 const DhcpSettings& settings) {
    LockedLab locked(lab);
    const LabNode* was = locked.loaded().lab.find_node(node);
    if (!was) throw InvalidInput("natlab: lab " + lab + " has no node " + quote(node));
    if (was->dhcp.empty())
        throw InvalidInput("natlab: node " + quote(node) +
                           " serves no DHCP; list its interfaces under 'dhcp:' in the file");
    const LabState& state = locked.state();
    std::string copy = load_topology_copy(lab);
    auto problems = dhcp_settings_problems(copy, state.source, lab, state.changes, node, settings);
    if (!problems.empty()) throw InvalidInput("natlab: " + join(problems, "\nnatlab: "));
    LiveChange change{node,         "",           std::nullopt,
                      std::nullopt, std::nullopt, dhcp_settings_words(settings)};
    std::vector<LiveChange> changes = state.changes;
    changes.push_back(change);
    LoadedLab after = load_changed_lab(copy, state.source, lab, changes);
    const LabNode& next = *after.lab.find_node(node);
    locked.change(pending_change(change), [&] { restart_server(after.lab, next); });
    return next.dhcp;
}

void finish_dhcp_change(const std::string& lab, const Lab& after, const PendingChange& pending) {
    restart_server(after, *after.find_node(pending.change.node));
    append_state_record(lab, state_change_record(pending.change));
}

}  // namespace natlab
