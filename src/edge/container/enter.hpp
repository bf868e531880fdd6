#pragma once
// Running a command inside a lab node: in its container when it has a
// running one, otherwise in the bare network namespace.
#include <string>
#include <vector>

namespace natlab {

struct NodeCommand {
    std::string lab, node;
    std::vector<std::string> argv;
    std::vector<std::pair<std::string, std::string>> env;  // set on top of the caller's
};

// Runs the command inside the container whose PID 1 is `leader` (its mount,
// UTS, IPC, network and PID namespaces and its root) and returns its exit
// code, 128+N when a signal N ended it, 127 when there is no such command.
int run_in_container(int leader, const NodeCommand& command);

// Replaces this process with the command in the node's network namespace,
// with /sys remounted for it and the node's names over /etc (like 'ip netns
// exec'). Returns only by throwing.
[[noreturn]] void exec_in_netns(const std::string& netns, const NodeCommand& command);

}  // namespace natlab
