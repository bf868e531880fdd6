#include "edge/daemons/daemon.hpp"

#include <signal.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "edge/daemons/spawn.hpp"
#include "edge/kernel/netns.hpp"
#include "edge/system/error.hpp"
#include "edge/system/exec_argv.hpp"
#include "edge/system/process.hpp"
#include "edge/system/text_file.hpp"

namespace natlab {
namespace {

using Clock = std::chrono::steady_clock;
constexpr auto kReadyWait = std::chrono::seconds(10);
constexpr auto kPoll = std::chrono::milliseconds(2);
constexpr auto kStopWait = std::chrono::seconds(2);

// /proc/PID/net/dev lists the interfaces of the process's own namespace,
// one "  NAME: counters" line each.
bool has_interface(pid_t pid, const std::string& name) {
    std::ifstream dev("/proc/" + std::to_string(pid) + "/net/dev");
    for (std::string line; std::getline(dev, line);) {
        auto start = line.find_first_not_of(' ');
        if (start != std::string::npos && line.compare(start, name.size() + 1, name + ":") == 0)
            return true;
    }
    return false;
}

bool is_ready(const DaemonReady& ready, pid_t pid) {
    using Kind = DaemonReady::Kind;
    switch (ready.kind) {
        case Kind::started:
            return true;
        case Kind::udp_port:
            return sockets_on(pid, "udp", ready.port) + sockets_on(pid, "udp6", ready.port) > 0;
        case Kind::tcp_port:
            return sockets_on(pid, "tcp", ready.port) + sockets_on(pid, "tcp6", ready.port) > 0;
        case Kind::file: {
            std::error_code ec;
            return std::filesystem::file_size(ready.path, ec) > 0 && !ec;
        }
        case Kind::interface:
            return has_interface(pid, ready.interface);
    }
    return true;
}

std::string waiting_for(const DaemonReady& ready) {
    using Kind = DaemonReady::Kind;
    switch (ready.kind) {
        case Kind::udp_port:
            return "bind UDP port " + std::to_string(ready.port);
        case Kind::tcp_port:
            return "listen on TCP port " + std::to_string(ready.port);
        case Kind::file:
            return "write " + ready.path;
        case Kind::interface:
            return "make its interface " + ready.interface;
        case Kind::started:
            break;
    }
    return "start";
}

// A hook that calls natlab back calls this very binary, wherever it is.
std::string with_natlab_path(std::string text) {
    const std::string token = kNatlabProgram;
    std::error_code ec;
    std::string self = std::filesystem::read_symlink("/proc/self/exe", ec).string();
    if (ec) self = "natlab";
    for (auto at = text.find(token); at != std::string::npos;
         at = text.find(token, at + self.size()))
        text.replace(at, token.size(), self);
    return text;
}

}  // namespace

std::string missing_daemon_program(const DaemonSpec& daemon) {
    if (!find_program(daemon.argv.front()).empty()) return "";
    return daemon.argv.front() + " (Debian package " + daemon.package + ")";
}

pid_t start_daemon(const DaemonSpec& daemon, int netns_fd, const std::string& what) {
    if (std::string missing = missing_daemon_program(daemon); !missing.empty())
        throw KernelError(what + ": not installed: " + missing +
                          "; install it with apt-get install " + daemon.package);
    for (const auto& [path, content] : daemon.files) {
        std::filesystem::create_directories(std::filesystem::path(path).parent_path());
        write_text_file(path, with_natlab_path(content));
    }
    for (const auto& path : daemon.executables)
        std::filesystem::permissions(path,
                                     std::filesystem::perms::owner_exec |
                                         std::filesystem::perms::group_exec |
                                         std::filesystem::perms::others_exec,
                                     std::filesystem::perm_options::add);
    std::filesystem::create_directories(std::filesystem::path(daemon.log).parent_path());
    pid_t pid = spawn_in_netns(daemon.argv, netns_fd, daemon.log);
    for (auto deadline = Clock::now() + kReadyWait;; std::this_thread::sleep_for(kPoll)) {
        if (is_ready(daemon.ready, pid)) return pid;
        std::string why;
        if (!process_record(pid))
            why = daemon.argv.front() + " stopped";
        else if (Clock::now() > deadline)
            why = daemon.argv.front() + " did not " + waiting_for(daemon.ready) + " within 10 s";
        if (!why.empty()) {
            ::kill(pid, SIGKILL);
            throw KernelError(what + ": " + why + "; the end of " + daemon.log + ":" +
                              log_tail(daemon.log));
        }
    }
}

void stop_daemons(const std::string& netns, const std::vector<std::string>& programs) {
    std::vector<pid_t> daemons;
    for (pid_t pid : processes_in_namespaces("net", {netns_path(netns)}))
        if (std::find(programs.begin(), programs.end(), process_program(pid)) != programs.end())
            daemons.push_back(pid);
    for (pid_t pid : daemons) ::kill(pid, SIGTERM);
    auto running = [&] {
        for (pid_t pid : daemons)
            if (process_record(pid)) return true;
        return false;
    };
    for (auto deadline = Clock::now() + kStopWait; running() && Clock::now() < deadline;)
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    for (pid_t pid : daemons) ::kill(pid, SIGKILL);
}

}  // namespace natlab
