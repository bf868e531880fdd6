#include <CLI/CLI.hpp>
#include <iostream>

#include "cli/common.hpp"
#include "core/nat/render_nft.hpp"
#include "core/util/text.hpp"
#include "edge/kernel/kernel_executor.hpp"
#include "edge/kernel/netns.hpp"
#include "edge/kernel/nft.hpp"
#include "edge/lab/live_lab.hpp"
#include "edge/lab/lock.hpp"

namespace natlab {
namespace {

struct RulesOptions {
    std::string lab, node;
    bool reload = false;
};

// Puts back the rules the topology declares, e.g. after experiments by hand:
// the executor replaces the table and flushes conntrack and the learnt sets.
void reload(const LoadedLab& loaded, const std::string& netns) {
    for (const auto& step : loaded.plan.steps) {
        const auto* rules = std::get_if<ApplyRuleset>(&step);
        if (!rules || rules->netns != netns) continue;
        KernelExecutor executor;
        executor.apply(step);
        std::cout << "reloaded the rules of " << rules->node
                  << "; its conntrack table and learnt bindings were flushed\n";
    }
}

void run_rules(const RulesOptions& opt) {
    require_root("rules");
    LoadedLab loaded = load_live_lab(opt.lab);
    require_nat_node(loaded, opt.node, "rules");
    std::string netns = netns_name(opt.lab, opt.node);
    if (opt.reload) {
        LabLock lock(opt.lab);
        reload(loaded, netns);
        return;
    }
    UniqueFd fd = open_node_netns(opt.lab, opt.node);
    NetnsGuard guard(fd.get(), netns);
    std::string live = NftContext().list_table("ip", kNatTable);
    if (live.empty())
        throw std::runtime_error("no table ip " + std::string(kNatTable) + " in " + netns +
                                 "; put it back with 'natlab rules " + opt.lab + " " + opt.node +
                                 " --reload'");
    std::cout << live;
}

}  // namespace

void register_rules(CLI::App& app) {
    auto opt = std::make_shared<RulesOptions>();
    auto* cmd = app.add_subcommand("rules", "Print a NAT node's live nftables rules (root)");
    cmd->add_option("lab", opt->lab, "Lab name")->required();
    cmd->add_option("node", opt->node, "NAT node")->required();
    cmd->add_flag("--reload", opt->reload,
                  "Put back the rules the topology declares, flushing the node's conntrack "
                  "table and learnt bindings");
    cmd->footer(
        "Lists the table natlab owns in the node's namespace, as the kernel holds it now, with\n"
        "the live contents of its mapping sets. Each rule's comment says which behaviour it\n"
        "implements.\n"
        "Examples:\n"
        "  natlab rules nat-types nat-full\n"
        "  natlab rules nat-types nat-full --reload   # after changing its rules by hand");
    cmd->callback([opt] { run_rules(*opt); });
}

}  // namespace natlab
