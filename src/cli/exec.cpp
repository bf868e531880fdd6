#include <sched.h>
#include <sys/mount.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cerrno>
#include <cstring>

#include "cli/common.hpp"
#include "kernel/netns.hpp"
#include "topology/validate.hpp"
#include "util/text.hpp"

namespace natlab {
namespace {

struct ExecOptions {
    std::string lab, node;
    std::vector<std::string> command;
};

// Like `ip netns exec`: a private mount namespace with /sys remounted, so
// tools that read /sys/class/net see the node's interfaces.
void remount_sys(const std::string& netns) {
    if (::unshare(CLONE_NEWNS) != 0)
        throw std::runtime_error("exec: unshare(CLONE_NEWNS): " +
                                 std::string(std::strerror(errno)));
    if (::mount("", "/", "none", MS_SLAVE | MS_REC, nullptr) != 0) {
        throw std::runtime_error("exec: making / a slave mount: " +
                                 std::string(std::strerror(errno)));
    }
    ::umount2("/sys", MNT_DETACH);
    if (::mount(netns.c_str(), "/sys", "sysfs", 0, nullptr) != 0) {
        throw std::runtime_error("exec: mounting /sys for " + netns + ": " + std::strerror(errno));
    }
}

void run_exec(const ExecOptions& opt) {
    check_lab_name(opt.lab);
    if (auto problem = name_problem(opt.node); !problem.empty()) {
        throw InvalidInput("natlab: node name " + quote(opt.node) + " " + problem);
    }
    require_root("exec");
    std::string netns = netns_name(opt.lab, opt.node);
    UniqueFd fd = open_netns(netns);
    if (!fd) {
        throw std::runtime_error("no node " + opt.node + " in lab " + opt.lab + " (namespace " +
                                 netns + " does not exist; see 'natlab status " + opt.lab + "')");
    }
    if (::setns(fd.get(), CLONE_NEWNET) != 0)
        throw std::runtime_error("entering " + netns + ": " + std::strerror(errno));
    remount_sys(netns);
    std::vector<char*> argv;
    for (const auto& arg : opt.command) argv.push_back(const_cast<char*>(arg.c_str()));
    argv.push_back(nullptr);
    ::execvp(argv[0], argv.data());
    int err = errno;
    std::fprintf(stderr, "natlab exec: %s: %s\n", argv[0], std::strerror(err));
    throw ExitRequest{err == ENOENT ? 127 : 126};
}

}  // namespace

void register_exec(CLI::App& app) {
    auto opt = std::make_shared<ExecOptions>();
    auto* cmd = app.add_subcommand("exec", "Run a command in a node's network namespace (root)");
    cmd->add_option("lab", opt->lab, "Lab name")->required();
    cmd->add_option("node", opt->node, "Node name")->required();
    cmd->add_option("command", opt->command, "Command and its arguments, after --")->required();
    cmd->footer(
        "The command's exit code is passed through (127: command not found).\n"
        "Example:\n"
        "  natlab exec two-nat c0 -- ping -c1 100.64.2.100");
    cmd->callback([opt] { run_exec(*opt); });
}

}  // namespace natlab
