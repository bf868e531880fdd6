#include "edge/container/nspawn_runtime.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/container/nspawn_command.hpp"
#include "core/names/paths.hpp"
#include "edge/container/stop.hpp"
#include "edge/system/error.hpp"
#include "edge/system/process.hpp"

extern char** environ;

namespace natlab {

bool systemd_is_init() {
    struct stat st {};
    return ::lstat("/run/systemd/system", &st) == 0 && S_ISDIR(st.st_mode);
}

namespace {

using Clock = std::chrono::steady_clock;

// argv/envp as exec wants them, built before fork: the child only execs.
struct ExecImage {
    std::vector<std::string> args, env;
    std::vector<char*> argv, envp;

    ExecImage(std::vector<std::string> a, std::vector<std::string> extra_env)
        : args(std::move(a)), env(std::move(extra_env)) {
        for (char** e = environ; *e; ++e) env.emplace_back(*e);
        for (auto& s : args) argv.push_back(s.data());
        argv.push_back(nullptr);
        for (auto& s : env) envp.push_back(s.data());
        envp.push_back(nullptr);
    }
};

// In the child: report to the log and end without running atexit handlers.
[[noreturn]] void child_fail(const char* what) {
    std::string line = std::string("natlab: ") + what + ": " + std::strerror(errno) + "\n";
    (void)!::write(STDERR_FILENO, line.data(), line.size());
    ::_exit(127);
}

// The host's tree, read-only below a tmpfs that takes every write, mounted in
// a mount namespace of the container's own: it disappears with the container,
// even when natlab or nspawn is killed.
void mount_host_overlay(const OverlayLayout& o) {
    if (::unshare(CLONE_NEWNS) != 0) child_fail("unshare(CLONE_NEWNS)");
    if (::mount(nullptr, "/", nullptr, MS_REC | MS_SLAVE, nullptr) != 0)
        child_fail("making / a slave mount");
    if (::mount("natlab", o.mount_point.c_str(), "tmpfs", 0, "mode=0755") != 0)
        child_fail("mounting the overlay's tmpfs");
    for (const auto* dir : {&o.upper, &o.work, &o.merged})
        if (::mkdir(dir->c_str(), 0755) != 0) child_fail("creating the overlay's directories");
    std::string options = "lowerdir=/,upperdir=" + o.upper + ",workdir=" + o.work;
    if (::mount("overlay", o.merged.c_str(), "overlay", 0, options.c_str()) != 0)
        child_fail("mounting the overlay on the host's tree");
}

std::string log_tail(const std::string& path) {
    std::ifstream in(path);
    std::vector<std::string> lines;
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    std::string out;
    std::size_t from = lines.size() > 5 ? lines.size() - 5 : 0;
    for (std::size_t i = from; i < lines.size(); ++i) out += "\n    " + lines[i];
    return out.empty() ? " (empty)" : out;
}

std::string exit_reason(int status) {
    if (WIFEXITED(status)) return "exit status " + std::to_string(WEXITSTATUS(status));
    if (WIFSIGNALED(status)) return std::string("signal ") + ::strsignal(WTERMSIG(status));
    return "status " + std::to_string(status);
}

}  // namespace

NspawnRuntime::NspawnRuntime(std::string lab) : lab_(std::move(lab)) {}

NspawnRuntime::~NspawnRuntime() {
    if (notify_) ::unlink(notify_socket_path(lab_).c_str());
}

void NspawnRuntime::open_notify_socket() {
    std::string path = notify_socket_path(lab_);
    notify_ = UniqueFd(::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0));
    if (!notify_) throw_errno("creating the containers' notify socket", errno);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::strncpy(addr.sun_path, path.c_str(), sizeof(addr.sun_path) - 1);
    ::unlink(path.c_str());
    if (::bind(notify_.get(), reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0)
        throw_errno("binding " + path, errno);
    int on = 1;  // the sender's pid tells which container speaks
    ::setsockopt(notify_.get(), SOL_SOCKET, SO_PASSCRED, &on, sizeof(on));
}

ContainerRecord NspawnRuntime::start(const StartContainer& step) {
    std::string what = describe(Step{step});
    if (!notify_) open_notify_socket();
    std::filesystem::create_directories(container_logs_dir(lab_));
    OverlayLayout overlay = overlay_layout(step);
    bool host_root = step.container.host_root();
    if (host_root) std::filesystem::create_directories(overlay.mount_point);
    UniqueFd log(::open(step.log.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644));
    if (!log) throw_errno(what + ": opening " + step.log, errno);
    UniqueFd null(::open("/dev/null", O_RDONLY | O_CLOEXEC));
    ExecImage image(nspawn_arguments(step, systemd_is_init(), /*lab_names=*/true),
                    nspawn_environment(step, notify_socket_path(lab_)));

    pid_t pid = ::fork();
    if (pid < 0) throw_errno(what + ": fork", errno);
    if (pid == 0) {
        // Its own session: no terminal signal from the caller reaches it,
        // and it lives on after natlab returns.
        ::setsid();
        ::dup2(null.get(), STDIN_FILENO);
        ::dup2(log.get(), STDOUT_FILENO);
        ::dup2(log.get(), STDERR_FILENO);
        if (host_root) mount_host_overlay(overlay);
        ::execvpe(image.argv[0], image.argv.data(), image.envp.data());
        child_fail("running systemd-nspawn");
    }
    auto process = process_record(pid).value_or(ProcessRecord{pid, 0});
    Started s{step, ContainerRecord{step.node, step.machine, process, step.container.boot, {}}};
    started_.push_back(s);
    return s.record;
}

bool NspawnRuntime::receive_notification() {
    char buffer[4096];
    alignas(cmsghdr) char control[CMSG_SPACE(sizeof(ucred))];
    iovec iov{buffer, sizeof(buffer) - 1};
    msghdr msg{};
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = control;
    msg.msg_controllen = sizeof(control);
    ssize_t n = ::recvmsg(notify_.get(), &msg, MSG_CMSG_CLOEXEC);
    if (n < 0) return false;
    const ucred* cred = nullptr;
    for (cmsghdr* c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c))
        if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_CREDENTIALS)
            cred = reinterpret_cast<const ucred*>(CMSG_DATA(c));
    if (!cred) return true;
    for (auto& s : started_) {
        if (s.record.nspawn.pid != cred->pid) continue;
        std::istringstream lines(std::string(buffer, static_cast<std::size_t>(n)));
        for (std::string line; std::getline(lines, line);) {
            if (line == "READY=1") s.ready = true;
            if (line.starts_with("X_NSPAWN_LEADER_PID="))
                s.record.leader = process_record(std::stoi(line.substr(20)));
        }
    }
    return true;
}

void NspawnRuntime::check_exited(Started& s) {
    int status = 0;
    if (::waitpid(s.record.nspawn.pid, &status, WNOHANG) != s.record.nspawn.pid) return;
    throw KernelError("container " + s.step.machine + " ended before it was ready (" +
                      exit_reason(status) + "); the end of " + s.step.log + ":" +
                      log_tail(s.step.log));
}

void NspawnRuntime::wait_ready(const std::atomic<bool>* stop, const LeaderCallback& on_leader) {
    auto begun = Clock::now();
    for (;;) {
        while (notify_ && receive_notification()) {
        }
        bool all_ready = true;
        for (auto& s : started_) {
            if (s.record.leader && !s.leader_reported) {
                on_leader(s.step.node, *s.record.leader);
                s.leader_reported = true;
            }
            if (s.ready && s.record.leader) continue;
            all_ready = false;
            check_exited(s);
            auto limit = std::chrono::seconds(s.step.container.ready_timeout_s);
            if (Clock::now() - begun > limit) {
                throw KernelError("container " + s.step.machine + " was not ready after " +
                                  std::to_string(limit.count()) +
                                  " s (raise 'ready-timeout' if it needs longer); the end of " +
                                  s.step.log + ":" + log_tail(s.step.log));
            }
        }
        if (all_ready) return;
        if (stop && stop->load()) throw KernelError("interrupted while waiting for containers");
        pollfd pfd{notify_.get(), POLLIN, 0};
        ::poll(&pfd, 1, 20);
    }
}

void NspawnRuntime::stop_all() {
    std::vector<ContainerRecord> records;
    for (const auto& s : started_) records.push_back(s.record);
    stop_containers(records);
    for (const auto& s : started_) remove_nspawn_leftovers(s.step.machine);
}

}  // namespace natlab
