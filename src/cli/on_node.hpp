#pragma once
// What 'exec' and 'shell' share: finding where a node's commands run.
#include <string>
#include <vector>

namespace natlab {

// Runs argv on the node: inside its container when one runs, otherwise in
// its bare network namespace. Never returns; the process exits with the
// command's exit code. An empty argv runs an interactive shell.
[[noreturn]] void run_on_node(const std::string& lab, const std::string& node,
                              std::vector<std::string> argv);

}  // namespace natlab
