// natlab flush: a NAT node forgets every flow and binding, as when it reboots.
#include <CLI/CLI.hpp>
#include <iostream>

#include "cli/commands.hpp"
#include "edge/system/root.hpp"
#include "edge/use_cases/change_nat.hpp"

namespace natlab {
namespace {

struct FlushOptions {
    std::string lab, nat;
};

void run_flush(const FlushOptions& opt) {
    require_root("flush");
    std::size_t flows = flush_nat(opt.lab, opt.nat);
    std::cout << opt.nat << " forgot " << flows << (flows == 1 ? " flow" : " flows")
              << " and every binding\n";
}

}  // namespace

void register_flush(CLI::App& app) {
    auto opt = std::make_shared<FlushOptions>();
    auto* cmd =
        app.add_subcommand("flush", "Reboot a NAT: forget every flow and binding at once (root)");
    cmd->add_option("lab", opt->lab, "Lab name")->required();
    cmd->add_option("nat", opt->nat, "NAT node")->required();
    cmd->footer(
        "The NAT's conntrack table and the bindings its rules learnt are emptied together, while\n"
        "the NAT drops every packet for that moment (as a rebooting one answers nothing), so no\n"
        "packet of an old flow teaches it the old binding again. Each flow's next packet from\n"
        "inside is a new mapping; an outsider's packet is refused as unsolicited until then.\n"
        "Its rules stay as they are.\n"
        "Example:\n"
        "  natlab flush nat-types nat-full");
    cmd->callback([opt] { run_flush(*opt); });
}

}  // namespace natlab
