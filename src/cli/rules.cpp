#include <CLI/CLI.hpp>
#include <iostream>

#include "cli/commands.hpp"
#include "edge/system/root.hpp"
#include "edge/use_cases/nat_mappings.hpp"
#include "edge/use_cases/nat_rules.hpp"

namespace natlab {
namespace {

struct RulesOptions {
    std::string lab, node;
    bool reload = false;
};

void run_rules(const RulesOptions& opt) {
    require_root("rules");
    if (!opt.reload) {
        std::cout << live_rules(opt.lab, opt.node);
        if (auto ports = read_mappings(opt.lab, opt.node).ports)
            std::cout << "# " << describe_port_usage(*ports);
        return;
    }
    reload_rules(opt.lab, opt.node);
    std::cout << "reloaded the rules of " << opt.node
              << "; its conntrack table and learnt bindings were flushed\n";
}

}  // namespace

void register_rules(CLI::App& app) {
    auto opt = std::make_shared<RulesOptions>();
    auto* cmd = app.add_subcommand("rules", "Print a NAT node's live nftables rules (root)");
    cmd->add_option("lab", opt->lab, "Lab name")->required();
    cmd->add_option("nat", opt->node, "NAT node")->required();
    cmd->add_flag("--reload", opt->reload,
                  "Put back the rules the topology declares, flushing the node's conntrack "
                  "table and learnt bindings");
    cmd->footer(
        "Lists the table natlab owns in the node's namespace, as the kernel holds it now, with\n"
        "the live contents of its mapping sets. Each rule's comment says which behaviour it\n"
        "implements. A last line says how many ports of the range are held and how many new\n"
        "flows were refused.\n"
        "Examples:\n"
        "  natlab rules nat-types nat-full\n"
        "  natlab rules nat-types nat-full --reload   # after changing its rules by hand");
    cmd->callback([opt] { run_rules(*opt); });
}

}  // namespace natlab
