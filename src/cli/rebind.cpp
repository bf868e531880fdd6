// natlab rebind: a NAT node moves live mappings to new external ports.
#include <CLI/CLI.hpp>
#include <iostream>

#include "cli/commands.hpp"
#include "core/conntrack/describe_flow.hpp"
#include "edge/system/root.hpp"
#include "edge/use_cases/change_nat.hpp"

namespace natlab {
namespace {

struct RebindOptions {
    std::string lab, nat, inside;
};

void run_rebind(const RebindOptions& opt) {
    require_root("rebind");
    std::vector<Rebound> moved = rebind_nat(opt.lab, opt.nat, opt.inside);
    if (moved.empty()) {
        std::cout << opt.nat << " holds no live mapping"
                  << (opt.inside.empty() ? "" : " of " + opt.inside) << "; nothing moved\n";
        return;
    }
    for (const auto& r : moved)
        std::cout << r.mapping.protocol << " " << r.mapping.inside.str() << ": external port "
                  << r.mapping.external_port << " given up (" << r.flows
                  << (r.flows == 1 ? " flow" : " flows") << "); its next packet gets another\n";
}

}  // namespace

void register_rebind(CLI::App& app) {
    auto opt = std::make_shared<RebindOptions>();
    auto* cmd = app.add_subcommand(
        "rebind", "Move a NAT's live mappings to new external ports, mid-flow (root)");
    cmd->add_option("lab", opt->lab, "Lab name")->required();
    cmd->add_option("nat", opt->nat, "NAT node")->required();
    cmd->add_option("--inside", opt->inside,
                    "Only the mappings of this inside host, HOST or HOST:PORT (a node or an "
                    "address)");
    cmd->footer(
        "As when a NAT times a binding out in mid-session and hands out another: the NAT forgets\n"
        "each mapping (its conntrack flows and learnt bindings), holding the old external port a\n"
        "while (udp-timeout unreplied) so it is not handed straight back. The inside socket is\n"
        "untouched; its next packet leaves from a new port, and peers that still send to the old\n"
        "one are refused. What QUIC connection migration and ICE restarts are for.\n"
        "Examples:\n"
        "  natlab rebind two-nat nat0\n"
        "  natlab rebind two-nat nat0 --inside c0:5000");
    cmd->callback([opt] { run_rebind(*opt); });
}

}  // namespace natlab
