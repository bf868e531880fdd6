#include <CLI/CLI.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>

#include "cli/common.hpp"
#include "core/lab/apply.hpp"
#include "core/lab/lab_description.hpp"
#include "core/lab/step_runner.hpp"
#include "core/names/paths.hpp"
#include "edge/container/nspawn_runtime.hpp"
#include "edge/container/preflight.hpp"
#include "edge/kernel/interrupt_flag.hpp"
#include "edge/kernel/kernel_executor.hpp"
#include "edge/kernel/netns.hpp"
#include "edge/lab/clean.hpp"
#include "edge/lab/lock.hpp"
#include "edge/lab/state_store.hpp"

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

// Where this natlab binary is, for commands that want to call it back.
std::string own_executable() {
    std::error_code ec;
    auto path = std::filesystem::read_symlink("/proc/self/exe", ec);
    return ec ? "natlab" : path.string();
}

void write_description(const LoadedLab& loaded, const CreateRequest& request) {
    DescriptionContext context = description_context(loaded, request.rootless);
    std::ofstream out(context.description);
    out << describe_lab(loaded.lab, context).dump(2) << "\n";
    if (!out.flush()) throw std::runtime_error("writing " + context.description + " failed");
}

void run_create(const CreateOptions& opt) {
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

DescriptionContext description_context(const LoadedLab& loaded, bool rootless) {
    return {std::filesystem::absolute(loaded.path).string(), own_executable(),
            lab_description_path(loaded.lab.name), rootless};
}

double create_lab(const LoadedLab& loaded, const CreateRequest& request) {
    check_container_prerequisites(loaded);
    require_root("create");
    const std::string& lab = loaded.lab.name;
    auto start = std::chrono::steady_clock::now();
    LabLock lock(lab);
    make_room(loaded, request.replace);
    InterruptFlag interrupt;
    StateJournal journal(lab, std::filesystem::absolute(loaded.path).string(), loaded.text);
    KernelExecutor executor;
    NspawnRuntime containers(lab);
    // Nothing of the lab is left in the kernel when these throw: apply_plan
    // has rolled back what it made.
    auto abandon = [&](const std::string& what) {
        remove_state(lab);
        lock.remove_file();
        return std::runtime_error("creating lab " + lab + " failed while " + what);
    };
    try {
        write_description(loaded, request);
    } catch (const std::exception& e) {
        throw abandon(std::string("writing its description: ") + e.what());
    }
    try {
        apply_plan(loaded.plan, executor, containers, journal, {interrupt.flag(), lab_threads()});
    } catch (const ApplyError& e) {
        throw abandon(e.what());
    }
    journal.mark_complete();
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
        .count();
}

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
