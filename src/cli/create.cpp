#include <CLI/CLI.hpp>
#include <iomanip>
#include <iostream>

#include "cli/commands.hpp"
#include "core/lifecycle/loaded_lab.hpp"
#include "edge/system/interrupt_flag.hpp"
#include "edge/use_cases/create_lab.hpp"

namespace natlab {
namespace {

struct CreateOptions {
    std::string file, name;
    bool replace = false, quiet = false;
};

void run_create(const CreateOptions& opt) {
    InterruptFlag interrupt;  // a signal while the file is read rolls the create back too
    LoadedLab loaded = load_lab_file(opt.file, opt.name);
    double ms = create_lab(loaded, {opt.replace, false});
    if (opt.quiet) return;
    const std::string& lab = loaded.lab.name;
    std::cout << "created lab " << lab << ": " << loaded.lab.nodes.size() << " nodes, "
              << loaded.lab.links.size() << " links in " << std::fixed << std::setprecision(1) << ms
              << " ms\n"
              << "  natlab status " << lab << "              what it holds\n"
              << "  natlab exec " << lab << " NODE -- CMD    run a command on a node\n"
              << "  natlab clean " << lab << "               remove it\n";
}

}  // namespace

void register_create(CLI::App& app) {
    auto opt = std::make_shared<CreateOptions>();
    auto* cmd = app.add_subcommand("create", "Build a lab from a topology file (root)");
    cmd->add_option("file", opt->file, "Topology file (YAML)")->required()->type_name("LAB.yaml");
    cmd->add_option("--name", opt->name, "Lab name to use instead of the file's 'name'");
    cmd->add_flag("--replace", opt->replace, "Remove a lab of the same name first");
    cmd->add_flag("-q,--quiet", opt->quiet, "Print nothing on success");
    cmd->footer(
        "Creation is all or nothing: if any step fails, everything made so far is removed.\n"
        "It returns once every daemon is ready, every DHCP client holding its lease.\n"
        "Examples:\n"
        "  natlab create labs/two-nat.yaml\n"
        "  natlab create --name ci-42 --replace labs/two-nat.yaml");
    cmd->callback([opt] { run_create(*opt); });
}

}  // namespace natlab
