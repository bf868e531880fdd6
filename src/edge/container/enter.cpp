#include "edge/container/enter.hpp"

#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

#include "edge/hostnames/over_etc.hpp"
#include "edge/kernel/netns.hpp"
#include "edge/system/exec_argv.hpp"
#include "edge/system/fd.hpp"

namespace natlab {
namespace {

[[noreturn]] void fail(const std::string& doing) {
    throw std::runtime_error(doing + ": " + std::strerror(errno));
}

// The mount namespace last: after it, /proc/<leader> may no longer resolve.
constexpr const char* kNamespaces[] = {"ipc", "uts", "net", "pid", "cgroup", "mnt"};
constexpr int kTypes[] = {CLONE_NEWIPC, CLONE_NEWUTS,    CLONE_NEWNET,
                          CLONE_NEWPID, CLONE_NEWCGROUP, CLONE_NEWNS};

void set_environment(const NodeCommand& command) {
    ::unsetenv("NOTIFY_SOCKET");
    for (const auto& [name, value] : command.env) ::setenv(name.c_str(), value.c_str(), 1);
}

int wait_exit_code(pid_t child) {
    // Like system(3): a Ctrl-C is the command's to handle, not ours.
    struct sigaction ignore {
    }, old_int{}, old_quit{};
    ignore.sa_handler = SIG_IGN;
    ::sigaction(SIGINT, &ignore, &old_int);
    ::sigaction(SIGQUIT, &ignore, &old_quit);
    int status = 0;
    while (::waitpid(child, &status, 0) < 0 && errno == EINTR) {
    }
    ::sigaction(SIGINT, &old_int, nullptr);
    ::sigaction(SIGQUIT, &old_quit, nullptr);
    return exit_code_of(status);
}

}  // namespace

int run_in_container(int leader, const NodeCommand& command) {
    std::string proc = "/proc/" + std::to_string(leader);
    std::vector<UniqueFd> fds;
    for (const char* ns : kNamespaces) {
        fds.emplace_back(::open((proc + "/ns/" + ns).c_str(), O_RDONLY | O_CLOEXEC));
        if (!fds.back()) fail("opening " + proc + "/ns/" + ns + " of container " + command.node);
    }
    UniqueFd root(::open((proc + "/root").c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (!root) fail("opening the root of container " + command.node);
    for (std::size_t i = 0; i < fds.size(); ++i) {
        // Joining the cgroup namespace fails where cgroups v1 gives none; harmless.
        if (::setns(fds[i].get(), kTypes[i]) != 0 && kTypes[i] != CLONE_NEWCGROUP)
            fail(std::string("entering the ") + kNamespaces[i] + " namespace of container " +
                 command.node);
    }
    if (::fchdir(root.get()) != 0 || ::chroot(".") != 0 || ::chdir("/") != 0)
        fail("entering the root of container " + command.node);
    set_environment(command);
    // The pid namespace holds only for children: run the command in one.
    pid_t child = ::fork();
    if (child < 0) fail("fork");
    if (child == 0) exec_argv(command.argv, "natlab");
    return wait_exit_code(child);
}

void exec_in_netns(const std::string& netns, const NodeCommand& command) {
    UniqueFd fd = open_netns(netns);
    if (!fd) {
        throw std::runtime_error("no node " + command.node + " in lab " + command.lab +
                                 " (namespace " + netns + " does not exist; see 'natlab status " +
                                 command.lab + "')");
    }
    if (::setns(fd.get(), CLONE_NEWNET) != 0) fail("entering " + netns);
    // A private mount namespace with /sys remounted, so tools that read
    // /sys/class/net see the node's interfaces, and the node's hosts and
    // resolv.conf over the host's.
    if (::unshare(CLONE_NEWNS) != 0) fail("unshare(CLONE_NEWNS)");
    if (::mount("", "/", "none", MS_SLAVE | MS_REC, nullptr) != 0) fail("making / a slave mount");
    ::umount2("/sys", MNT_DETACH);
    if (::mount(netns.c_str(), "/sys", "sysfs", 0, nullptr) != 0)
        fail("mounting /sys for " + netns);
    lay_node_files_over_etc(command.lab, command.node);
    set_environment(command);
    exec_argv(command.argv, "natlab");
}

}  // namespace natlab
