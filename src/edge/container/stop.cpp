#include "edge/container/stop.hpp"

#include <signal.h>
#include <sys/wait.h>

#include <algorithm>
#include <filesystem>
#include <thread>

#include "edge/kernel/netns.hpp"
#include "edge/system/process.hpp"

namespace natlab {
namespace {

using Clock = std::chrono::steady_clock;
constexpr std::chrono::milliseconds kPoll{10};
constexpr std::chrono::milliseconds kKillWait{3000};

void signal_if_running(const ProcessRecord& process, int sig) {
    if (is_running(process)) ::kill(process.pid, sig);
}

void ask_to_stop(const ContainerRecord& c) {
    if (!c.leader || !is_running(*c.leader)) {
        // No PID 1 known: nspawn ends the container itself on SIGTERM.
        signal_if_running(c.nspawn, SIGTERM);
        return;
    }
    if (c.boot) {
        ::kill(c.leader->pid, SIGRTMIN + 4);  // systemd: poweroff
        return;
    }
    // The stub init ignores signals from outside its namespace, and ends
    // when the command it runs ends.
    std::string pid_ns = "/proc/" + std::to_string(c.leader->pid) + "/ns/pid";
    for (pid_t pid : processes_in_namespaces("pid", {pid_ns}))
        if (pid != c.leader->pid) ::kill(pid, SIGTERM);
}

bool any_running(const std::vector<ContainerRecord>& containers) {
    bool running = false;
    for (const auto& c : containers) {
        ::waitpid(c.nspawn.pid, nullptr, WNOHANG);  // our own child when rolling back a create
        running = running || is_running(c.nspawn) || (c.leader && is_running(*c.leader));
    }
    return running;
}

bool wait_until_stopped(const std::vector<ContainerRecord>& containers,
                        std::chrono::milliseconds limit) {
    auto deadline = Clock::now() + limit;
    while (any_running(containers)) {
        if (Clock::now() > deadline) return false;
        std::this_thread::sleep_for(kPoll);
    }
    return true;
}

}  // namespace

void stop_containers(const std::vector<ContainerRecord>& containers,
                     std::chrono::milliseconds grace) {
    for (const auto& c : containers) ask_to_stop(c);
    if (wait_until_stopped(containers, grace)) return;
    for (const auto& c : containers) {
        // PID 1 of a pid namespace takes every process in it along.
        if (c.leader) signal_if_running(*c.leader, SIGKILL);
        signal_if_running(c.nspawn, SIGKILL);
    }
    wait_until_stopped(containers, kKillWait);
}

std::optional<ContainerRecord> verified_container(const ContainerRecord& record,
                                                  const std::string& netns, std::string& why) {
    ContainerRecord c = record;
    if (is_running(c.nspawn)) {
        auto argv = process_cmdline(c.nspawn.pid);
        bool nspawn = !argv.empty() && argv[0].ends_with("systemd-nspawn");
        bool machine = std::find(argv.begin(), argv.end(), "--machine=" + c.machine) != argv.end();
        if (!nspawn || !machine) {
            why = "process " + std::to_string(c.nspawn.pid) + " is not the systemd-nspawn of " +
                  c.machine;
            return std::nullopt;
        }
    }
    if (c.leader && is_running(*c.leader) && !in_namespace(c.leader->pid, "net", netns_path(netns)))
        c.leader.reset();
    return c;
}

void kill_namespace_processes(const std::vector<std::string>& netns) {
    std::vector<std::string> paths;
    for (const auto& ns : netns) paths.push_back(netns_path(ns));
    auto deadline = Clock::now() + kKillWait;
    for (auto pids = processes_in_namespaces("net", paths); !pids.empty();
         pids = processes_in_namespaces("net", paths)) {
        for (pid_t pid : pids) ::kill(pid, SIGKILL);
        if (Clock::now() > deadline) return;
        std::this_thread::sleep_for(kPoll);
    }
}

void remove_nspawn_leftovers(const std::string& machine) {
    std::error_code ignored;
    std::filesystem::remove_all("/run/systemd/nspawn/propagate/" + machine, ignored);
}

}  // namespace natlab
