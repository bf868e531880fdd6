// natlab serve: a live page of each running lab, for a classroom's projector
// and for looking into a failing test.
#include <CLI/CLI.hpp>
#include <iostream>

#include "cli/commands.hpp"
#include "core/util/invalid_input.hpp"
#include "edge/serve/lab_server.hpp"
#include "edge/system/interrupt_flag.hpp"
#include "edge/system/root.hpp"
#include "edge/use_cases/list_labs.hpp"

namespace natlab {
namespace {

struct ServeCommand {
    std::vector<std::string> labs;
    std::string listen = kDefaultServeAddress;
    bool allow_changes = false;
};

void run_serve(const ServeCommand& opt) {
    require_root("serve");
    ServeOptions options;
    options.labs = opt.labs;
    if (options.labs.empty())
        for (const auto& l : list_labs())
            if (l.state == "ready") options.labs.push_back(l.lab);
    if (options.labs.empty())
        throw InvalidInput(
            "natlab serve: no lab is running; create one first (natlab create FILE), or name "
            "one");
    options.listen = parse_listen_address(opt.listen);
    if (options.listen.host.empty())
        throw InvalidInput("natlab serve: --listen " + opt.listen +
                           " is not ADDR:PORT; write e.g. 127.0.0.1:7180, [::1]:7180 or "
                           "0.0.0.0:7180 (every address)");
    options.allow_changes = opt.allow_changes;
    LabServer server(options);
    for (const auto& lab : options.labs) std::cout << server.url(lab) << "\n";
    std::cout << (opt.allow_changes
                      ? "changes allowed from a page opened by these URLs (they hold the token)"
                      : "read-only: the pages change nothing (--allow-changes to let them)")
              << "; Ctrl-C ends" << std::endl;
    InterruptFlag interrupt;
    server.serve_until(*interrupt.flag());
}

}  // namespace

void register_serve(CLI::App& app) {
    auto opt = std::make_shared<ServeCommand>();
    auto* cmd = app.add_subcommand(
        "serve", "Serve a live web page of each running lab: graph, mappings, events (root)");
    cmd->add_option("labs", opt->labs, "Labs to serve (default: every running lab)");
    cmd->add_option("--listen", opt->listen,
                    "Address and port to listen on; port 0 picks a free one")
        ->type_name("ADDR:PORT")
        ->capture_default_str();
    cmd->add_flag("--allow-changes", opt->allow_changes,
                  "Let the page take links down and up, change a NAT's type, rebind, flush and "
                  "punch (each request needs the token in the printed URL)");
    cmd->footer(
        "Prints one URL per lab and serves until Ctrl-C. Each page shows the lab's graph (each\n"
        "NAT's type and classes, inside blue, outside orange), every NAT's mappings (inside\n"
        "endpoint, public endpoint, peers, who may come in, time left), the conntrack events\n"
        "in natlab watch's words (refused flows in red), which pairs of hosts talk directly or\n"
        "through a relay, links down, link conditions and leases. It updates as packets pass,\n"
        "without a reload; clicking a node highlights its paths and mappings.\n"
        "The page is built into natlab: no CDN, no external font. The server answers only\n"
        "requests whose Host is its own address (a DNS-rebinding page is refused) and sends no\n"
        "CORS headers. Without --allow-changes every change is refused; with it, a change must\n"
        "carry the token of the printed URL, as Jupyter's do.\n"
        "Examples:\n"
        "  natlab serve two-nat\n"
        "  natlab serve --listen 0.0.0.0:7180 --allow-changes   # a classroom's projector");
    cmd->callback([opt] { run_serve(*opt); });
}

}  // namespace natlab
