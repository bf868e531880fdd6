#include <CLI/CLI.hpp>
#include <iostream>

#include "cli/commands.hpp"
#include "core/lifecycle/loaded_lab.hpp"
#include "edge/system/root.hpp"
#include "edge/use_cases/clean.hpp"

namespace natlab {
namespace {

struct CleanOptions {
    std::vector<std::string> labs;
    bool all = false, quiet = false;
};

void clean_one(const std::string& lab, bool quiet) {
    CleanResult result = clean_lab_locked(lab);
    for (const auto& what : result.left_alone)
        std::cerr << "natlab clean: " << lab << ": not removed, " << what << "\n";
    if (quiet) return;
    if (result.removed.empty() && !result.had_state) {
        std::cout << "lab " << lab << ": nothing to remove\n";
    } else {
        std::cout << "removed lab " << lab << " (" << result.removed.size() << " namespaces";
        if (!result.containers_stopped.empty())
            std::cout << ", " << result.containers_stopped.size() << " containers";
        std::cout << ")\n";
    }
}

void run_clean(const CleanOptions& opt) {
    if (opt.all == !opt.labs.empty())
        throw InvalidInput("natlab clean: name the labs to remove, or give --all");
    for (const auto& lab : opt.labs) check_lab_name(lab);
    require_root("clean");
    auto labs = opt.all ? find_labs() : opt.labs;
    if (opt.all && labs.empty() && !opt.quiet) std::cout << "no natlab labs on this machine\n";
    for (const auto& lab : labs) clean_one(lab, opt.quiet);
}

}  // namespace

void register_clean(CLI::App& app) {
    auto opt = std::make_shared<CleanOptions>();
    auto* cmd = app.add_subcommand("clean", "Remove labs completely (root)");
    cmd->add_option("lab", opt->labs, "Names of the labs to remove");
    cmd->add_flag("--all", opt->all, "Remove every natlab lab on this machine");
    cmd->add_flag("-q,--quiet", opt->quiet, "Print nothing");
    cmd->footer(
        "Removes exactly what the lab made, from its state under /run/natlab and the marker on "
        "its\n"
        "namespaces; works after a crashed create, and succeeds when there is nothing left.\n"
        "Examples:\n"
        "  natlab clean two-nat\n"
        "  natlab clean --all");
    cmd->callback([opt] { run_clean(*opt); });
}

}  // namespace natlab
