#include <CLI/CLI.hpp>
#include <iostream>

#include "cli/common.hpp"
#include "kernel/netns.hpp"
#include "kernel/nft.hpp"
#include "lab/live_lab.hpp"
#include "nat/render_nft.hpp"
#include "util/text.hpp"

namespace natlab {
namespace {

struct RulesOptions {
    std::string lab, node;
};

void run_rules(const RulesOptions& opt) {
    require_root("rules");
    LoadedLab loaded = load_live_lab(opt.lab);
    const LabNode* node = loaded.lab.find_node(opt.node);
    if (!node || node->kind != NodeKind::nat) {
        throw InvalidInput("natlab: " + quote(opt.node) + " is not a nat node of lab " + opt.lab +
                           "; only NAT nodes have rules");
    }
    std::string netns = netns_name(opt.lab, opt.node);
    UniqueFd fd = open_netns(netns);
    if (!fd) throw std::runtime_error("namespace " + netns + " is missing; see 'natlab status'");
    NetnsGuard guard(fd.get(), netns);
    std::string live = NftContext().list_table("ip", kNatTable);
    if (live.empty())
        throw std::runtime_error("no table ip " + std::string(kNatTable) + " in " + netns);
    std::cout << live;
}

}  // namespace

void register_rules(CLI::App& app) {
    auto opt = std::make_shared<RulesOptions>();
    auto* cmd = app.add_subcommand("rules", "Print a NAT node's live nftables rules (root)");
    cmd->add_option("lab", opt->lab, "Lab name")->required();
    cmd->add_option("node", opt->node, "NAT node")->required();
    cmd->footer(
        "Lists the table natlab owns in the node's namespace, as the kernel holds it now, with\n"
        "the live contents of its mapping sets. Each rule's comment says which behaviour it\n"
        "implements.\n"
        "Example:\n"
        "  natlab rules nat-types nat-full");
    cmd->callback([opt] { run_rules(*opt); });
}

}  // namespace natlab
