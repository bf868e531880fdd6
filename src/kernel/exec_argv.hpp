#pragma once
// The last step of every command natlab runs for a user.
#include <string>
#include <vector>

namespace natlab {

// Replaces this process with argv (searched on PATH). When that fails, prints
// "<who>: <program>: <reason>" and exits 127 (not found) or 126, like a shell.
[[noreturn]] void exec_argv(const std::vector<std::string>& argv, const std::string& who);

}  // namespace natlab
