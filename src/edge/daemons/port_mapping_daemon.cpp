#include "edge/daemons/port_mapping_daemon.hpp"

#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <sstream>
#include <thread>

#include "core/util/text.hpp"
#include "edge/kernel/netns.hpp"
#include "edge/kernel/nft.hpp"
#include "edge/system/error.hpp"
#include "edge/system/exec_argv.hpp"
#include "edge/system/fd.hpp"
#include "edge/system/process.hpp"
#include "edge/system/text_file.hpp"

namespace natlab {
namespace {

using Clock = std::chrono::steady_clock;
constexpr auto kReadyWait = std::chrono::seconds(10);  // its STUN check may wait 3 s twice
constexpr auto kPoll = std::chrono::milliseconds(20);
constexpr auto kBindPoll = std::chrono::milliseconds(1);
// How long a daemon told to stop has before it is killed.
constexpr auto kStopWait = std::chrono::seconds(2);

// The child's side of spawn(): never returns. Other threads of natlab may
// hold locks (malloc's among them), so only system calls from here on.
[[noreturn]] void become(const char* path, char* const* args, int netns_fd, const char* log,
                         int report_fd) {
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);
    ::setsid();
    int out = ::open(log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    int in = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (::setns(netns_fd, CLONE_NEWNET) != 0 || out < 0 || in < 0) {
        int err = errno;
        [[maybe_unused]] auto n = ::write(report_fd, &err, sizeof err);
        _exit(126);
    }
    ::dup2(in, 0);
    ::dup2(out, 1);
    ::dup2(out, 2);
    // Only stdio and the report pipe: an inherited namespace descriptor
    // would keep another namespace alive after its lab is cleaned.
    ::close_range(3, report_fd > 3 ? report_fd - 1 : 3, 0);
    if (report_fd > 3) ::close_range(report_fd + 1, ~0U, 0);
    ::fcntl(report_fd, F_SETFD, FD_CLOEXEC);
    ::execv(path, args);
    int err = errno;
    [[maybe_unused]] auto n = ::write(report_fd, &err, sizeof err);
    _exit(127);
}

// read(2) until it is not interrupted (a Ctrl-C during create).
ssize_t read_whole(int fd, void* buffer, std::size_t size) {
    ssize_t n;
    do n = ::read(fd, buffer, size);
    while (n < 0 && errno == EINTR);
    return n;
}

// Starts argv detached (a grandchild, so natlab never reaps it) inside the
// namespace, output appended to `log`; returns its pid.
pid_t spawn(const std::vector<std::string>& argv, int netns_fd, const std::string& log) {
    std::string path = find_program(argv[0]) + "/" + argv[0];
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    int pids[2], errors[2];
    if (::pipe2(pids, O_CLOEXEC) != 0 || ::pipe2(errors, O_CLOEXEC) != 0)
        throw_errno("making a pipe to start " + argv[0], errno);
    UniqueFd pid_read(pids[0]), pid_write(pids[1]), error_read(errors[0]), error_write(errors[1]);
    pid_t child = ::fork();
    if (child < 0) throw_errno("starting " + argv[0], errno);
    if (child == 0) {
        pid_t daemon = ::fork();
        if (daemon == 0)
            become(path.c_str(), args.data(), netns_fd, log.c_str(), error_write.get());
        [[maybe_unused]] auto n = ::write(pid_write.get(), &daemon, sizeof daemon);
        _exit(daemon < 0 ? 1 : 0);
    }
    while (::waitpid(child, nullptr, 0) < 0 && errno == EINTR) {
    }
    pid_write.reset();
    error_write.reset();
    pid_t daemon = -1;
    if (read_whole(pid_read.get(), &daemon, sizeof daemon) != sizeof daemon || daemon < 0)
        throw_errno("starting " + argv[0], errno);
    int err = 0;
    if (read_whole(error_read.get(), &err, sizeof err) == sizeof err) {
        ::kill(daemon, SIGKILL);
        throw_errno("starting " + argv[0], err);
    }
    return daemon;
}

// The last lines of the log, indented, for a message.
std::string log_tail(const std::string& log, std::size_t lines = 6) {
    std::string text = read_text_file(log);
    std::vector<std::string> all;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) all.push_back(line);
    std::string tail;
    for (std::size_t i = all.size() > lines ? all.size() - lines : 0; i < all.size(); ++i)
        tail += "\n    " + printable(all[i]);
    return tail;
}

// A daemon that did not start, and the end of the service's log, where both
// write.
KernelError failure(const PortMappingService& service, const std::string& what,
                    const std::string& why) {
    return KernelError(what + ": " + why + "; the end of " + service.log + ":" +
                       log_tail(service.log));
}

// How many UDP sockets of `pid`'s network namespace are bound to `port`.
std::size_t udp_sockets_on(pid_t pid, int port) {
    // "  12: 0100007F:0D96 00000000:0000 07 ...": the local address's port in hex.
    char suffix[8];
    std::snprintf(suffix, sizeof suffix, ":%04X", static_cast<unsigned>(port));
    std::istringstream table(read_text_file("/proc/" + std::to_string(pid) + "/net/udp"));
    std::size_t count = 0;
    for (std::string line; std::getline(table, line);) {
        std::istringstream fields(line);
        std::string slot, local;
        if (fields >> slot >> local && local.size() > 5 &&
            local.compare(local.size() - 5, 5, suffix) == 0)
            ++count;
    }
    return count;
}

// Until stund has bound its four sockets (the external address and loopback,
// each on the STUN port and the next): miniupnpd's STUN check, sent before,
// goes unanswered, and miniupnpd waits 3 s before it asks again.
void wait_until_answering(const PortMappingService& service, pid_t stund, const std::string& what) {
    for (auto deadline = Clock::now() + kReadyWait;; std::this_thread::sleep_for(kBindPoll)) {
        if (udp_sockets_on(stund, kStunPort) >= 2 && udp_sockets_on(stund, kStunPort + 1) >= 2)
            return;
        if (!process_record(stund)) throw failure(service, what, "stund stopped");
        if (Clock::now() > deadline)
            throw failure(service, what, "stund did not bind its ports within 10 s");
    }
}

// Until miniupnpd's log says it listens, looking only past `from`, what the
// log held before it started (a restarted service's log holds the first
// start's lines too).
void wait_until_listening(const PortMappingService& service, pid_t miniupnpd, std::size_t from,
                          const std::string& what) {
    const std::string ready = miniupnpd_ready_line(service);
    for (auto deadline = Clock::now() + kReadyWait;; std::this_thread::sleep_for(kPoll)) {
        std::string whole = read_text_file(service.log);
        std::string log = whole.size() > from ? whole.substr(from) : "";
        if (log.find(ready) != std::string::npos) return;
        std::string why;
        if (log.find(kMiniupnpdRefused) != std::string::npos)
            why = "miniupnpd refuses to map ports (its STUN check failed)";
        else if (!process_record(miniupnpd))
            why = "miniupnpd stopped";
        else if (Clock::now() > deadline)
            why = "miniupnpd did not listen within 10 s";
        if (!why.empty()) throw failure(service, what, why);
    }
}

}  // namespace

std::string missing_port_mapping_programs() {
    std::vector<std::string> missing;
    for (const auto& p : kPortMappingPrograms)
        if (find_program(p.name).empty())
            missing.push_back(std::string(p.name) + " (Debian package " + p.package + ")");
    return join(missing, ", ");
}

std::vector<pid_t> start_port_mapping(const PortMappingService& service, int netns_fd,
                                      const std::string& netns, const std::string& what) {
    if (std::string missing = missing_port_mapping_programs(); !missing.empty())
        throw KernelError(what + ": not installed: " + missing +
                          "; install them with apt-get install miniupnpd-nftables stun-server");
    std::filesystem::create_directories(std::filesystem::path(service.config).parent_path());
    write_text_file(service.log, "");
    {
        NetnsGuard inside(netns_fd, netns);
        NftContext().run(render_port_mapping_table(service), what);
    }
    return run_port_mapping(service, netns_fd, what);
}

std::vector<pid_t> run_port_mapping(const PortMappingService& service, int netns_fd,
                                    const std::string& what) {
    write_text_file(service.config, render_miniupnpd_config(service));
    const std::size_t logged = read_text_file(service.log).size();
    std::vector<pid_t> started;
    try {
        started.push_back(spawn(stun_server_argv(service), netns_fd, service.log));
        wait_until_answering(service, started.back(), what);
        started.push_back(spawn(miniupnpd_argv(service), netns_fd, service.log));
        wait_until_listening(service, started.back(), logged, what);
    } catch (...) {
        for (pid_t pid : started) ::kill(pid, SIGKILL);
        throw;
    }
    return started;
}

void stop_port_mapping(const std::string& netns) {
    std::vector<pid_t> daemons;
    for (pid_t pid : processes_in_namespaces("net", {netns_path(netns)})) {
        std::string program = process_program(pid);
        if (std::any_of(std::begin(kPortMappingPrograms), std::end(kPortMappingPrograms),
                        [&](const PortMappingProgram& p) { return program == p.name; }))
            daemons.push_back(pid);
    }
    // miniupnpd writes its leases as it goes and removes its pid file when
    // it ends: told to stop, it leaves nothing a new one would trip over.
    for (pid_t pid : daemons) ::kill(pid, SIGTERM);
    auto deadline = Clock::now() + kStopWait;
    auto running = [&] {
        return std::any_of(daemons.begin(), daemons.end(),
                           [](pid_t pid) { return process_record(pid).has_value(); });
    };
    while (running() && Clock::now() < deadline) std::this_thread::sleep_for(kPoll);
    for (pid_t pid : daemons) ::kill(pid, SIGKILL);
}

}  // namespace natlab
