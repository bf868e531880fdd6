// natlab punch: real UDP hole punching between two hosts behind NATs.
#include <CLI/CLI.hpp>
#include <iostream>

#include "cli/commands.hpp"
#include "cli/probe_options.hpp"
#include "edge/punch/punch_pair.hpp"
#include "edge/system/root.hpp"
#include "edge/use_cases/live_lab.hpp"

namespace natlab {
namespace {

struct PunchOptions {
    std::string lab, a, b;
    bool json = false;
    bool ipv6 = false;
};

void run_punch(const PunchOptions& opt) {
    require_root("punch");
    LoadedLab loaded = load_live_lab(opt.lab);
    PunchRun run = punch_hosts(loaded.lab, opt.a, opt.b, opt.ipv6 ? Family::ipv6 : Family::ipv4);
    if (opt.json)
        std::cout << punch_json(run.outcome, run.nat_a, run.nat_b, run.report).dump(2) << "\n";
    else
        std::cout << render_punch(run.outcome, run.nat_a, run.nat_b, run.report);
    if (!run.report.works()) throw ExitRequest{kExitNoPath};
}

}  // namespace

void register_punch(CLI::App& app) {
    auto opt = std::make_shared<PunchOptions>();
    auto* cmd = app.add_subcommand(
        "punch",
        "Try UDP hole punching between two hosts behind NATs, and say why it fails (root)");
    cmd->add_option("lab", opt->lab, "Lab name")->required();
    cmd->add_option("host_a", opt->a, "A host behind a NAT")->required();
    cmd->add_option("host_b", opt->b, "Another host behind a NAT")->required();
    cmd->add_flag("--json", opt->json, "Print JSON");
    add_ipv6_flag(*cmd, opt->ipv6, "Punch");
    cmd->footer(
        "A rendezvous server on the public side (where 'probe' puts its server) tells each host\n"
        "the other's public endpoint; both send to it, and answer any endpoint they hear from.\n"
        "Over IPv6 (--ipv6) each host sends from its own global address: behind two RFC 6092\n"
        "firewalls, which translate nothing, the simultaneous open gets through as it does\n"
        "between two endpoint-independent mappings, and theory judges each IPv6 side by its\n"
        "mode's classes (see 'natlab verify --help').\n"
        "Exit code 0 when packets got through both ways, 4 when they did not.\n"
        "Examples:\n"
        "  natlab punch nat-types c-full c-sym\n"
        "  natlab punch dual-stack laptop phone --ipv6");
    cmd->callback([opt] { run_punch(*opt); });
}

}  // namespace natlab
