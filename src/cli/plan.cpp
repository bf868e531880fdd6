#include <CLI/CLI.hpp>
#include <iostream>

#include "cli/commands.hpp"
#include "core/lifecycle/loaded_lab.hpp"
#include "core/render/render.hpp"

namespace natlab {
namespace {

struct PlanOptions {
    std::string file, name, format = "text";
};

void run_plan(const PlanOptions& opt) {
    LoadedLab loaded = load_lab_file(opt.file, opt.name);
    std::cout << (opt.format == "shell" ? render_shell(loaded.plan) : render_text(loaded.plan));
}

}  // namespace

void register_plan(CLI::App& app) {
    auto opt = std::make_shared<PlanOptions>();
    auto* cmd = app.add_subcommand("plan", "Show what create would make, without root");
    cmd->add_option("file", opt->file, "Topology file (YAML)")->required()->type_name("LAB.yaml");
    cmd->add_option("--name", opt->name, "Lab name to use instead of the file's 'name'");
    cmd->add_option("--format", opt->format,
                    "text (steps) or shell (an equivalent ip/sysctl/nft script)")
        ->check(CLI::IsMember({"text", "shell"}));
    cmd->footer(
        "Also validates the file: problems are listed as file:line:column and the exit code is 2.\n"
        "Examples:\n"
        "  natlab plan labs/two-nat.yaml\n"
        "  natlab plan labs/two-nat.yaml --format shell > two-nat.sh && sh two-nat.sh up");
    cmd->callback([opt] { run_plan(*opt); });
}

}  // namespace natlab
