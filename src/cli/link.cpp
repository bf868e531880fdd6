// natlab link: take one end of a live link down, or bring it up again.
#include <CLI/CLI.hpp>
#include <iostream>

#include "cli/commands.hpp"
#include "edge/system/root.hpp"
#include "edge/use_cases/change_link.hpp"

namespace natlab {
namespace {

struct LinkOptions {
    std::string lab, end, state;
};

void run_link(const LinkOptions& opt) {
    require_root("link");
    set_link_up(opt.lab, opt.end, opt.state == "up");
    std::cout << opt.end << " is " << opt.state << "\n";
}

}  // namespace

void register_link(CLI::App& app) {
    auto opt = std::make_shared<LinkOptions>();
    auto* cmd = app.add_subcommand("link", "Take one end of a live link down or up (root)");
    cmd->add_option("lab", opt->lab, "Lab name")->required();
    cmd->add_option("end", opt->end, "NODE:IFACE")->required();
    cmd->add_option("state", opt->state, "down or up")
        ->required()
        ->check(CLI::IsMember({"down", "up"}));
    cmd->footer(
        "A veth end taken down drops what it would send, and its peer loses carrier: the link is\n"
        "cut both ways until it is up again. Journalled, so status expects it down.\n"
        "Example:\n"
        "  natlab link two-nat nat0:wan down; sleep 3; natlab link two-nat nat0:wan up");
    cmd->callback([opt] { run_link(*opt); });
}

}  // namespace natlab
