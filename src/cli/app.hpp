#pragma once
// The whole command line as one CLI11 tree: natlab's commands, what each does
// with SIGINT/SIGTERM/SIGHUP, and the manual page each --help names. main, the
// manual pages and shell completion all read this one tree, so none of them
// can drift from another.
#include <string>

namespace CLI {
class App;
}

namespace natlab {

void build_app(CLI::App& app);

// "natlab-create" for the command `create`, "natlab" for the program itself.
std::string manual_name(const CLI::App& command);

// The commands a user may call, in the order --help lists them: every
// subcommand but the hidden ones (__complete, __manual).
bool is_public(const CLI::App& command);

}  // namespace natlab
