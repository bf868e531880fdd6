#include "cli/probe_options.hpp"

#include <CLI/CLI.hpp>

namespace natlab {

void add_probe_options(CLI::App& cmd, std::string& server, int& timeout_ms, bool& json) {
    cmd.add_option("--server", server,
                   "Node for the probe server (default: the topology's probe-server, else the "
                   "node the NAT's default route leads to)");
    cmd.add_option("--timeout", timeout_ms,
                   "Milliseconds to wait for an answer that filtering may rightly drop")
        ->check(CLI::Range(50, 10000));
    cmd.add_flag("--json", json, "Print JSON");
}

}  // namespace natlab
