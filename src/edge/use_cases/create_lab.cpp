#include "edge/use_cases/create_lab.hpp"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <thread>

#include "core/condition/describe_condition.hpp"
#include "core/lifecycle/apply.hpp"
#include "core/lifecycle/leased_lab.hpp"
#include "core/lifecycle/step_runner.hpp"
#include "core/names/paths.hpp"
#include "core/nat/kernel_features.hpp"
#include "core/topology/node_interface.hpp"
#include "core/util/text.hpp"
#include "core/util/threads.hpp"
#include "edge/container/nspawn_runtime.hpp"
#include "edge/container/preflight.hpp"
#include "edge/daemons/port_mapping_daemon.hpp"
#include "edge/executor/kernel_executor.hpp"
#include "edge/hostnames/netns_etc_links.hpp"
#include "edge/hostnames/node_files.hpp"
#include "edge/kernel/inspect.hpp"
#include "edge/kernel/netns.hpp"
#include "edge/kernel/nft.hpp"
#include "edge/kernel/qdisc_support.hpp"
#include "edge/kernel/sysctl.hpp"
#include "edge/system/interrupt_flag.hpp"
#include "edge/system/root.hpp"
#include "edge/system/text_file.hpp"
#include "edge/use_cases/clean.hpp"
#include "edge/use_cases/dhcp_leases.hpp"
#include "edge/use_cases/lock.hpp"
#include "edge/use_cases/state_store.hpp"

namespace natlab {
namespace {

// Every sysctl the file sets must exist in a namespace of this kernel.
void check_sysctls_exist(const LoadedLab& loaded) {
    Diagnostics diag(loaded.path);
    for (const auto& node : loaded.lab.nodes) {
        if (node.sysctls.empty()) continue;
        std::vector<std::string> keys, interfaces;
        for (const auto& s : node.sysctls) keys.push_back(s.key);
        for (const auto& i : node.interfaces) interfaces.push_back(i.name);
        auto missing = missing_sysctls(keys, interfaces);
        for (const auto& s : node.sysctls)
            if (std::find(missing.begin(), missing.end(), s.key) != missing.end())
                diag.error(s.pos, "sysctl " + quote(s.key) +
                                      " does not exist in a network namespace of this kernel; "
                                      "check its name against 'unshare -n sysctl -a'");
    }
    throw_if_problems(diag, loaded.path);
}

// Every NAT node's rules must load on this kernel: tried in a scratch
// namespace once for each behaviour (the rules of NATs that behave alike
// differ only in addresses and names).
void check_nat_rules_load(const LoadedLab& loaded) {
    std::vector<const LabNode*> nats;
    std::vector<const ApplyRuleset*> loads;
    std::vector<std::string> rulesets;
    for (const auto& step : loaded.plan.steps) {
        const auto* load = std::get_if<ApplyRuleset>(&step);
        if (!load) continue;
        const LabNode* node = loaded.lab.find_node(load->node);
        if (!node || !node->nat) continue;
        bool seen = false;
        for (std::size_t i = 0; i < nats.size() && !seen; ++i)
            seen = loads[i]->family == load->family &&
                   nats[i]->nat->behaviour == node->nat->behaviour &&
                   nats[i]->nat->ipv6 == node->nat->ipv6;
        if (seen) continue;
        nats.push_back(node);
        loads.push_back(load);
        rulesets.push_back(load->text);
    }
    if (rulesets.empty()) return;
    auto refusals = nft_refusals(rulesets);
    Diagnostics diag(loaded.path);
    for (std::size_t i = 0; i < nats.size(); ++i)
        if (!refusals[i].empty())
            diag.error(nats[i]->pos, "NAT node " + quote(nats[i]->name) + ": " +
                                         explain_refused_rules(refusals[i]));
    throw_if_problems(diag, loaded.path);
}

// What a link asks of a queueing discipline the kernel lacks, and how to get it.
struct QdiscNeed {
    const char* kind;
    const char* module;
    const char* config;
    bool (*needed)(const LinkCondition&);
    const char* instead;
};
const QdiscNeed kQdiscNeeds[] = {
    {"netem", "sch_netem", "CONFIG_NET_SCH_NETEM",
     [](const LinkCondition& c) { return c.needs_netem(); },
     "remove delay, jitter, loss, reorder, duplicate and corrupt (a rate alone needs only tbf)"},
    {"tbf", "sch_tbf", "CONFIG_NET_SCH_TBF",
     [](const LinkCondition& c) { return c.rate_bps.has_value(); }, "remove its rate"},
};

std::string link_name(const LabLink& l) {
    return NodeInterface{l.node_a, l.interface_a}.str() + " -- " +
           NodeInterface{l.node_b, l.interface_b}.str();
}

// Every link condition must be possible on this kernel: each queueing
// discipline the lab needs is tried once in a scratch namespace.
void check_link_conditions_supported(const LoadedLab& loaded) {
    Diagnostics diag(loaded.path);
    for (const auto& need : kQdiscNeeds) {
        std::vector<const LabLink*> links;
        for (const auto& l : loaded.lab.links)
            if (need.needed(l.a_sends) || need.needed(l.b_sends)) links.push_back(&l);
        if (links.empty()) continue;
        std::string refusal = qdisc_refusal(need.kind);
        if (refusal.empty()) continue;
        for (const LabLink* l : links) {
            const LinkCondition& asked = need.needed(l->a_sends) ? l->a_sends : l->b_sends;
            diag.error(l->pos, "link " + link_name(*l) + " asks for " + describe_condition(asked) +
                                   ", which needs the kernel's " + need.kind +
                                   " queueing discipline, and this kernel has none (it says: " +
                                   refusal + "); load module " + need.module + " ('modprobe " +
                                   need.module + "'), or boot a kernel built with " + need.config +
                                   ", or " + need.instead);
        }
    }
    throw_if_problems(diag, loaded.path);
}

// A NAT that offers port mapping runs miniupnpd and stund: both must be
// installed before anything is made.
void check_port_mapping_programs(const LoadedLab& loaded) {
    Diagnostics diag(loaded.path);
    std::string missing = missing_port_mapping_programs();
    for (const auto& node : loaded.lab.nodes)
        if (!missing.empty() && node.nat && !node.nat->behaviour.port_mapping.empty())
            diag.error(node.pos, "nat node " + quote(node.name) +
                                     " offers port mapping, which needs programs that are not "
                                     "installed: " +
                                     missing +
                                     "; install them with 'apt-get install miniupnpd-nftables "
                                     "stun-server'");
    throw_if_problems(diag, loaded.path);
}

// A namespace name already in use: another lab's whose "<lab>-<node>" reads
// the same (lab q's node x-h1 and lab q-x's node h1 are both q-x-h1), or
// one natlab did not make.
std::string taken_message(const LoadedLab& loaded, const std::string& netns) {
    const std::string& lab = loaded.lab.name;
    std::string node = netns.substr(lab.size() + 1);
    if (auto marker = read_marker(netns); marker && marker->lab != lab) {
        return "namespace " + netns + " already exists: it is node " + marker->node + " of lab " +
               marker->lab + ", and node " + node + " of lab " + lab +
               " would have the same name; rename the node, or give this lab another name with "
               "--name";
    }
    return "namespace " + netns + " already exists and is not part of lab " + lab +
           "; remove it ('ip netns delete " + netns + "') or give the lab another name with --name";
}

void make_room(const LoadedLab& loaded, bool replace) {
    const std::string& lab = loaded.lab.name;
    auto state = load_state(lab);
    if (state && !replace) {
        throw std::runtime_error("lab " + lab + " already exists (made from " + state->source +
                                 "); remove it with 'natlab clean " + lab +
                                 "' or rebuild it with 'natlab create --replace " + loaded.path +
                                 "'");
    }
    if (replace) clean_lab(lab);
    for (const auto& netns : loaded.plan.namespaces())
        if (netns_exists(netns)) throw std::runtime_error(taken_message(loaded, netns));
    for (const auto& node : loaded.lab.nodes)
        if (auto taken = netns_etc_taken(lab, node.name); !taken.empty())
            throw std::runtime_error(taken);
}

// Where this natlab binary is, for commands that want to call it back.
std::string own_executable() {
    std::error_code ec;
    auto path = std::filesystem::read_symlink("/proc/self/exe", ec);
    return ec ? "natlab" : path.string();
}

void write_description(const LoadedLab& loaded, const CreateRequest& request) {
    DescriptionContext context = description_context(loaded, request.rootless);
    write_text_file(context.description, describe_lab(loaded.lab, context).dump(2) + "\n");
}

bool has_containers(const Lab& lab) {
    return std::any_of(lab.nodes.begin(), lab.nodes.end(),
                       [](const LabNode& n) { return n.container.has_value(); });
}

// What this kernel lacks is found by trying: a sysctl it does not have, NAT
// rules or a queueing discipline it refuses fail their step and the plan is
// rolled back. Only then is each kind tried again in a scratch namespace, so
// that every refused place in the file is told at its line and column. A lab
// the kernel takes pays for no scratch namespace (one costs ~10 ms).
void explain_kernel_refusals(const LoadedLab& loaded) {
    check_sysctls_exist(loaded);
    check_nat_rules_load(loaded);
    check_link_conditions_supported(loaded);
}

}  // namespace

DescriptionContext description_context(const LoadedLab& loaded, bool rootless) {
    return {std::filesystem::absolute(loaded.path).string(), own_executable(),
            lab_description_path(loaded.lab.name), rootless};
}

double create_lab(const LoadedLab& loaded, const CreateRequest& request) {
    check_container_prerequisites(loaded);
    require_root("create");
    check_port_mapping_programs(loaded);
    const std::string& lab = loaded.lab.name;
    auto start = std::chrono::steady_clock::now();
    LabLock lock(lab);
    try {
        make_room(loaded, request.replace);
    } catch (...) {
        lock.remove_file();  // a refused create leaves no lock file behind
        throw;
    }
    InterruptFlag interrupt;
    StateJournal journal(lab, std::filesystem::absolute(loaded.path).string(), loaded.text);
    KernelExecutor executor;
    NspawnRuntime containers(lab);
    // Nothing of the lab is left in the kernel when these throw: apply_plan
    // has rolled back what it made.
    auto abandon = [&](const std::string& what) {
        remove_state(lab);
        lock.remove_file();
        return std::runtime_error("creating lab " + lab + " failed while " + what);
    };
    // The description (a JSON text of every node, 20 ms for 1000 NATs) and
    // the names (core/hostnames) are written while the network is made: the
    // threads making it wait on the kernel's locks much of the time. A lab
    // with containers writes its names first: nspawn binds them as it starts.
    bool names_first = has_containers(loaded.lab);
    if (names_first) {
        try {
            write_node_files(loaded.lab);
        } catch (const std::exception& e) {
            throw abandon(std::string("writing its names: ") + e.what());
        }
    }
    std::string files_failure;
    std::jthread describer = start_helper([&] {
        std::string writing = "writing its description: ";
        try {
            write_description(loaded, request);
            writing = "writing its names: ";
            if (!names_first) write_node_files(loaded.lab);
        } catch (const std::exception& e) {
            files_failure = writing + e.what();
        }
    });
    try {
        apply_plan(loaded.plan, executor, containers, journal, {interrupt.flag(), lab_threads()});
    } catch (const ApplyError& e) {
        describer.join();  // before its file goes with the state
        auto failure = abandon(e.what());
        if (!interrupt.signal()) explain_kernel_refusals(loaded);
        throw failure;
    }
    describer.join();
    // The links for 'ip netns exec' once every namespace is this lab's: each
    // is named as its namespace, so a lab whose names collide with these (lab
    // q's node x-h1, lab q-x's h1) never gets to link one. Without root,
    // /etc/netns is there only where the sandbox could lay a directory of its
    // own over it (enter_user_sandbox).
    if (files_failure.empty()) {
        try {
            // Hooks may have written them before the description was: once
            // more with every lease, now that all are in place.
            if (!dhcp_clients(loaded.lab).empty()) publish_dhcp_leases(lab);
            link_netns_etc(loaded.lab, request.rootless);
        } catch (const std::exception& e) {
            files_failure = std::string("writing its names: ") + e.what();
        }
    }
    if (!files_failure.empty()) {
        clean_lab(lab);  // the journal names all that was made
        throw abandon(files_failure);
    }
    journal.mark_complete();
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
        .count();
}

}  // namespace natlab
