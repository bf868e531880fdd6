#include "edge/daemons/spawn.hpp"

#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <sstream>

#include "core/util/text.hpp"
#include "edge/system/error.hpp"
#include "edge/system/exec_argv.hpp"
#include "edge/system/fd.hpp"
#include "edge/system/text_file.hpp"

namespace natlab {
namespace {

// The child's side of spawn_in_netns(): never returns. Other threads of natlab may
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

}  // namespace

pid_t spawn_in_netns(const std::vector<std::string>& argv, int netns_fd, const std::string& log) {
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

std::string log_tail(const std::string& log, std::size_t lines) {
    std::string text = read_text_file(log);
    std::vector<std::string> all;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) all.push_back(line);
    std::string tail;
    for (std::size_t i = all.size() > lines ? all.size() - lines : 0; i < all.size(); ++i)
        tail += "\n    " + printable(all[i]);
    return tail;
}

std::size_t sockets_on(pid_t pid, const std::string& table, int port) {
    // "  12: 0100007F:0D96 00000000:0000 07 ...": the local address's port in hex.
    char suffix[8];
    std::snprintf(suffix, sizeof suffix, ":%04X", static_cast<unsigned>(port));
    std::istringstream rows(read_text_file("/proc/" + std::to_string(pid) + "/net/" + table));
    std::size_t count = 0;
    for (std::string line; std::getline(rows, line);) {
        std::istringstream fields(line);
        std::string slot, local;
        if (fields >> slot >> local && local.size() > 5 &&
            local.compare(local.size() - 5, 5, suffix) == 0)
            ++count;
    }
    return count;
}

}  // namespace natlab
