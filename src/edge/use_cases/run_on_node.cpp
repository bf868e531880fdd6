#include "edge/use_cases/run_on_node.hpp"

#include <unistd.h>

#include <cstdlib>

#include "core/plan/plan.hpp"
#include "core/topology/node_lookup.hpp"
#include "core/topology/validate.hpp"
#include "core/util/text.hpp"
#include "edge/container/enter.hpp"
#include "edge/kernel/netns.hpp"
#include "edge/system/process.hpp"
#include "edge/system/root.hpp"
#include "edge/use_cases/live_lab.hpp"
#include "edge/use_cases/state_store.hpp"

namespace natlab {
namespace {

// The container's PID 1 when the node runs a container now.
std::optional<int> running_leader(const std::string& lab, const std::string& node) {
    auto state = load_state(lab);
    const ContainerRecord* c = state ? state->find_container(node) : nullptr;
    if (!c || !c->leader || !is_running(*c->leader)) return std::nullopt;
    return c->leader->pid;
}

// The environment the container declares, so exec sees what its command sees.
std::vector<std::pair<std::string, std::string>> declared_env(const std::string& lab,
                                                              const std::string& node) {
    LoadedLab live = load_live_lab(lab);
    const LabNode* n = live.lab.find_node(node);
    if (!n || !n->container) return {};
    return n->container->env;
}

std::vector<std::string> login_shell(const std::string& root) {
    if (::access((root + "/bin/bash").c_str(), X_OK) == 0) return {"/bin/bash", "-l"};
    return {"/bin/sh", "-l"};
}

// A node whose namespace is not there: say whether the lab or the node is
// wrong (names and nearest names), else that the namespace is gone.
void explain_missing_node(const std::string& lab, const std::string& node, bool shell) {
    LoadedLab live = load_live_lab(lab);
    require_node(live.lab, node, shell ? "natlab shell" : "natlab exec");
}

}  // namespace

int run_on_node(const std::string& lab, const std::string& node, std::vector<std::string> argv) {
    check_lab_name(lab);
    if (auto problem = name_problem(node); !problem.empty())
        throw InvalidInput("natlab: node name " + quote(node) + " " + problem);
    require_root("exec");
    if (!open_netns(netns_name(lab, node))) explain_missing_node(lab, node, argv.empty());
    NodeCommand command{lab, node, std::move(argv), {}};
    if (auto leader = running_leader(lab, node)) {
        command.env = declared_env(lab, node);
        if (command.argv.empty())
            command.argv = login_shell("/proc/" + std::to_string(*leader) + "/root");
        return run_in_container(*leader, command);
    }
    if (command.argv.empty()) {
        const char* shell = std::getenv("SHELL");
        command.argv = {shell && *shell ? shell : "/bin/bash"};
        // Debian's bash prompt shows $debian_chroot: "(lab-node)root@host:~#".
        command.env = {{"debian_chroot", netns_name(lab, node)}};
    }
    exec_in_netns(netns_name(lab, node), command);
}

}  // namespace natlab
