#pragma once
// The options probe and verify share.
#include <string>

namespace CLI {
class App;
}

namespace natlab {

// -6/--ipv6, as probe, verify, punch and matrix share it; `what` begins its
// help ("Measure", "Punch").
void add_ipv6_flag(CLI::App& cmd, bool& ipv6, const std::string& what);

// -6/--ipv6, --server, --timeout and --json.
void add_probe_options(CLI::App& cmd, std::string& server, int& timeout_ms, bool& json, bool& ipv6);

}  // namespace natlab
