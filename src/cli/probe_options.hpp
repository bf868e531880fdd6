#pragma once
// The options probe and verify share.
#include <string>

namespace CLI {
class App;
}

namespace natlab {

// --server, --timeout and --json.
void add_probe_options(CLI::App& cmd, std::string& server, int& timeout_ms, bool& json);

}  // namespace natlab
