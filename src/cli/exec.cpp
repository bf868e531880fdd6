#include <CLI/CLI.hpp>

#include "cli/commands.hpp"
#include "edge/use_cases/run_on_node.hpp"

namespace natlab {
namespace {

struct ExecOptions {
    std::string lab, node;
    std::vector<std::string> command;
};

}  // namespace

void register_exec(CLI::App& app) {
    auto opt = std::make_shared<ExecOptions>();
    auto* cmd =
        app.add_subcommand("exec", "Run a command on a node, in its container if any (root)");
    cmd->add_option("lab", opt->lab, "Lab name")->required();
    cmd->add_option("node", opt->node, "Node name")->required();
    cmd->add_option("command", opt->command, "Command and its arguments, after --")->required();
    cmd->footer(
        "A node with a running container: the command runs inside it (its file system, hostname\n"
        "and processes, with the container's env). Otherwise: in the node's network namespace.\n"
        "Either way every node's name resolves (nat0, nat0.LAB), as with 'ip netns exec'.\n"
        "The command's exit code is passed through (127: command not found).\n"
        "Examples:\n"
        "  natlab exec two-nat c0 -- ping -c1 100.64.2.100\n"
        "  natlab exec two-nat c0 -- getent ahosts nat0");
    cmd->callback([opt] { throw ExitRequest{run_on_node(opt->lab, opt->node, opt->command)}; });
}

void register_shell(CLI::App& app) {
    auto opt = std::make_shared<ExecOptions>();
    auto* cmd = app.add_subcommand("shell", "Open an interactive shell on a node (root)");
    cmd->add_option("lab", opt->lab, "Lab name")->required();
    cmd->add_option("node", opt->node, "Node name")->required();
    cmd->footer(
        "In the node's container when it has one (a login shell there), otherwise in its\n"
        "network namespace ($SHELL). Leave it with 'exit'.\n"
        "Example:\n"
        "  natlab shell containers c0");
    cmd->callback([opt] { throw ExitRequest{run_on_node(opt->lab, opt->node, {})}; });
}

}  // namespace natlab
