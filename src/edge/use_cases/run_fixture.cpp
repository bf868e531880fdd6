// natlab run: a lab as a fixture around one command. Create, run, clean,
// whatever happens to the command or to natlab (short of SIGKILL, after
// which 'natlab clean --all' finds the leftovers).
#include "edge/use_cases/run_fixture.hpp"

#include <signal.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <iomanip>
#include <iostream>
#include <optional>

#include "core/lifecycle/leased_lab.hpp"
#include "core/names/unique_name.hpp"
#include "core/topology/node_lookup.hpp"
#include "core/util/text.hpp"
#include "edge/kernel/user_sandbox.hpp"
#include "edge/system/exec_argv.hpp"
#include "edge/system/interrupt_flag.hpp"
#include "edge/system/random.hpp"
#include "edge/system/supervise.hpp"
#include "edge/system/user_file.hpp"
#include "edge/use_cases/clean.hpp"
#include "edge/use_cases/create_lab.hpp"
#include "edge/use_cases/dhcp_leases.hpp"
#include "edge/use_cases/run_on_node.hpp"
#include "edge/use_cases/schedule_runner.hpp"

namespace natlab {
namespace {

// --name as given; otherwise the file's name with a random suffix, so parallel
// runs of one file never meet.
LoadedLab load_for_run(const RunRequest& opt) {
    if (!opt.name.empty()) return load_lab_file(opt.file, opt.name);
    LoadedLab loaded = load_lab_file(opt.file);
    return load_lab_text(loaded.text, loaded.path, unique_lab_name(loaded.lab.name, random_u32()));
}

std::string read_schedule_file(const std::string& path) {
    return read_user_file(
        path, {"natlab run", "--schedule", "a schedule file", "a file of 'TIME ACTION' lines",
               kMaxScheduleBytes, "a scenario of 100,000 changes takes 3 MiB"});
}

// The scenario, checked against the lab before anything is made.
Schedule load_schedule(const LoadedLab& loaded, const RunRequest& opt) {
    Schedule schedule;
    std::vector<std::string> problems;
    if (!opt.schedule_file.empty())
        add_schedule_text(schedule, read_schedule_file(opt.schedule_file), opt.schedule_file,
                          problems);
    for (const auto& [time, action] : opt.at) add_at(schedule, time, action, problems);
    check_schedule(schedule, loaded, problems);
    if (!problems.empty())
        throw InvalidInput("natlab run: " + join(problems, "\nnatlab run: ") +
                           "\nnatlab run: " + std::to_string(problems.size()) +
                           (problems.size() == 1 ? " problem" : " problems") +
                           " in the schedule; nothing was done");
    return schedule;
}

// Everything that makes a run impossible, found before anything is made.
void check_request(const LoadedLab& loaded, const RunRequest& opt, bool rootless) {
    const Lab& lab = loaded.lab;
    if (!opt.in_node.empty()) require_node(lab, opt.in_node, "natlab run: --in");
    lab_environment(lab, description_context(loaded, rootless));  // throws on clashing names
    if (!rootless) return;
    if (opt.keep || opt.keep_on_failure) {
        throw InvalidInput(
            std::string("natlab run: ") + (opt.keep ? "--keep" : "--keep-on-failure") +
            " needs root: a lab made without root lives in natlab's own user namespace and "
            "vanishes when natlab ends; run as root (e.g. sudo) to keep it, or let the command "
            "save what a failure needs (NATLAB_LAB_JSON describes the lab, 'natlab exec' and "
            "'natlab mappings' work inside the run, and --capture DIR keeps the run's packets)");
    }
    for (const auto& node : lab.nodes) {
        if (node.nat && !node.nat->behaviour.port_mapping.empty()) {
            throw InvalidInput("natlab run: " + loaded.path + ": nat node " + node.name +
                               " offers port mapping, whose daemons (miniupnpd, stund) would "
                               "outlive a run without root that is killed; run natlab as root "
                               "(e.g. sudo), or remove its 'port-mapping' key");
        }
        if (!node.dhcp.empty()) {
            throw InvalidInput("natlab run: " + loaded.path + ": node " + node.name +
                               " serves DHCP, whose daemons (dnsmasq, udhcpc) would outlive a "
                               "run without root that is killed; run natlab as root (e.g. "
                               "sudo), or give the hosts static addresses");
        }
        if (node.container) {
            throw InvalidInput("natlab run: " + loaded.path + ": node " + node.name +
                               " runs a container, and systemd-nspawn needs real root; run "
                               "natlab as root (e.g. sudo), or remove its 'container:' section");
        }
    }
}

std::string shell_words(const std::vector<std::string>& argv) {
    std::string out;
    for (const auto& a : argv) out += (out.empty() ? "" : " ") + shell_quote(a);
    return out;
}

// What the supervised child does: the command on the host (in the sandbox
// when rootless), or on one node.
std::function<void()> command_main(const RunRequest& opt, const std::string& lab,
                                   const Environment& env) {
    return [&opt, &lab, &env] {
        for (const auto& [name, value] : env) ::setenv(name.c_str(), value.c_str(), 1);
        if (opt.in_node.empty()) exec_argv(opt.command, "natlab run");
        ::_exit(run_on_node(lab, opt.in_node, opt.command));
    };
}

// Removes the lab when the run ends, however it ends, unless it is kept.
class LabTeardown {
  public:
    LabTeardown(std::string lab, bool keep, bool quiet)
        : lab_(std::move(lab)), keep_(keep), quiet_(quiet) {}
    // The command failed and the lab is to be looked at (--keep-on-failure).
    void keep_for_a_look() {
        keep_ = true;
        failed_ = true;
    }
    ~LabTeardown() {
        try {
            finish();
        } catch (const std::exception& e) {
            std::cerr << "natlab run: removing lab " << lab_ << " failed: " << e.what()
                      << "; remove it with 'natlab clean " << lab_ << "'\n";
        }
    }
    LabTeardown(const LabTeardown&) = delete;
    LabTeardown& operator=(const LabTeardown&) = delete;

    void finish() {
        if (done_) return;
        done_ = true;
        if (keep_) {
            std::cerr << "natlab run: kept lab " << lab_ << (failed_ ? " (the command failed)" : "")
                      << "; see it with 'natlab status " << lab_
                      << "', look inside with 'natlab exec " << lab_
                      << " NODE -- CMD' or 'natlab mappings " << lab_
                      << " NAT', remove it with 'natlab clean " << lab_ << "'\n";
            return;
        }
        clean_lab_locked(lab_);
        if (!quiet_) std::cerr << "natlab run: removed lab " << lab_ << "\n";
    }

  private:
    std::string lab_;
    bool keep_, quiet_, failed_ = false, done_ = false;
};

}  // namespace

int run_fixture(const RunRequest& opt, RunHooks* hooks) {
    InterruptFlag interrupt;  // from here on, a signal ends the run cleanly
    bool rootless = ::geteuid() != 0;
    LoadedLab loaded = load_for_run(opt);
    check_request(loaded, opt, rootless);
    Schedule schedule = load_schedule(loaded, opt);
    if (hooks) hooks->prepare(loaded.lab);
    if (rootless) enter_user_sandbox();
    const std::string& lab = loaded.lab.name;
    double ms = create_lab(loaded, {false, rootless});
    LabTeardown teardown(lab, opt.keep, opt.quiet);
    if (hooks) hooks->lab_made();
    // The addresses DHCP clients hold now are theirs in NATLAB_NODE_*.
    Lab leased = loaded.lab;
    apply_leases(leased, read_dhcp_leases(leased));
    Environment env = lab_environment(leased, description_context(loaded, rootless));
    if (!opt.quiet) {
        std::cerr << "natlab run: lab " << lab << " ready in " << std::fixed << std::setprecision(1)
                  << ms << " ms" << (rootless ? " (rootless)" : "") << "; running "
                  << shell_words(opt.command) << (opt.in_node.empty() ? "" : " on " + opt.in_node)
                  << "\n";
    }
    std::optional<ScheduleRunner> scenario;
    CommandOutcome outcome = run_supervised(command_main(opt, lab, env), interrupt.signal(), [&] {
        if (hooks) hooks->command_started();
        scenario.emplace(lab, schedule, opt.quiet);
    });
    int failed_changes = scenario ? scenario->stop() : 0;
    if (hooks) std::cerr << hooks->command_ended(opt.quiet);
    if (scenario && scenario->tried() < schedule.size() && !opt.quiet)
        std::cerr << "natlab run: the command ended before " << schedule.size() - scenario->tried()
                  << " of " << schedule.size()
                  << " scheduled changes were due; they were not made\n";
    if (outcome.signal_received && !opt.quiet) {
        std::cerr << "natlab run: got SIG" << sigabbrev_np(outcome.signal_received)
                  << ", passed it on to the command; removing the lab\n";
    }
    // A run stopped by a signal was not a failure to look at.
    if (opt.keep_on_failure && outcome.exit_code != 0 && !outcome.signal_received)
        teardown.keep_for_a_look();
    teardown.finish();
    if (outcome.signal_received) return 128 + outcome.signal_received;
    // A scenario that did not happen as written makes a passing test mean nothing.
    if (failed_changes && outcome.exit_code == 0) {
        std::cerr << "natlab run: the command passed, but " << failed_changes << " of "
                  << schedule.size() << " scheduled changes failed (above); exit " << kRunFailed
                  << "\n";
        return kRunFailed;
    }
    return outcome.exit_code;
}

void require_command_separator(const std::vector<std::string>& words) {
    for (const auto& w : words)
        if (w == "--" || w == "-h" || w == "--help") return;
    throw InvalidInput(
        "natlab run: the command must follow '--', or its own options would be taken for "
        "natlab's: natlab run FILE [OPTIONS] -- COMMAND [ARGS...], e.g. natlab run lab.yaml "
        "--in c0 -- ping -c1 100.64.2.100");
}

}  // namespace natlab
