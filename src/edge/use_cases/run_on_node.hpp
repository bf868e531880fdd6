#pragma once
// natlab exec and shell: running a command where a node's commands run.
#include <string>
#include <vector>

namespace natlab {

// Runs argv on the node: inside its container when one runs (returning the
// command's exit code), otherwise in its bare network namespace (replacing
// this process, so it does not return). An empty argv runs an interactive
// shell.
int run_on_node(const std::string& lab, const std::string& node, std::vector<std::string> argv);

}  // namespace natlab
