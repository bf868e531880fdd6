#include <CLI/CLI.hpp>
#include <chrono>
#include <filesystem>
#include <iostream>

#include "cli/common.hpp"
#include "cli/signals.hpp"
#include "container/nspawn_runtime.hpp"
#include "container/preflight.hpp"
#include "kernel/kernel_executor.hpp"
#include "kernel/netns.hpp"
#include "lab/apply.hpp"
#include "lab/clean.hpp"
#include "lab/lock.hpp"
#include "lab/state_store.hpp"

namespace natlab {
namespace {

struct CreateOptions {
    std::string file, name;
    bool replace = false, quiet = false;
};

void make_room(const LoadedLab& loaded, bool replace) {
    const std::string& lab = loaded.lab.name;
    auto state = load_state(lab);
    if (state && !replace) {
        throw std::runtime_error("lab " + lab + " already exists (made from " + state->source +
                                 "); remove it with 'natlab clean " + lab +
                                 "' or rebuild it with 'natlab create --replace " + loaded.path +
                                 "'");
    }
    if (replace) clean_lab(lab);
    for (const auto& netns : loaded.plan.namespaces()) {
        if (netns_exists(netns)) {
            throw std::runtime_error("namespace " + netns +
                                     " already exists and is not part of lab " + lab +
                                     "; remove it ('ip netns delete " + netns +
                                     "') or give the lab another name "
                                     "with --name");
        }
    }
}

void run_create(const CreateOptions& opt) {
    LoadedLab loaded = load_lab_file(opt.file, opt.name);
    check_container_prerequisites(loaded);
    require_root("create");
    const std::string& lab = loaded.lab.name;
    auto start = std::chrono::steady_clock::now();
    LabLock lock(lab);
    make_room(loaded, opt.replace);
    InterruptFlag interrupt;
    StateJournal journal(lab, std::filesystem::absolute(opt.file).string(), loaded.text);
    KernelExecutor executor;
    NspawnRuntime containers(lab);
    try {
        apply_plan(loaded.plan, executor, containers, journal, interrupt.flag());
    } catch (const ApplyError& e) {
        remove_state(lab);
        lock.remove_file();
        throw std::runtime_error("creating lab " + lab + " failed while " + e.what());
    }
    journal.mark_complete();
    auto ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    if (opt.quiet) return;
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
        "Examples:\n"
        "  natlab create labs/two-nat.yaml\n"
        "  natlab create --name ci-42 --replace labs/two-nat.yaml");
    cmd->callback([opt] { run_create(*opt); });
}

}  // namespace natlab
