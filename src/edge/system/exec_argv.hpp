#pragma once
// Running other programs: finding them, and the last step of every command
// natlab runs for a user.
#include <string>
#include <vector>

namespace natlab {

// The PATH directory holding the program, or "" when it is not installed.
std::string find_program(const std::string& name);

// Replaces this process with argv (searched on PATH). When that fails, prints
// "<who>: <program>: <reason>" and exits 127 (not found) or 126, like a shell.
[[noreturn]] void exec_argv(const std::vector<std::string>& argv, const std::string& who);

// A wait status as a shell reports it: the exit code, or 128+N for signal N.
int exit_code_of(int wait_status);

// Runs argv as a child with `input` on its stdin (when given) and waits for
// it; returns its exit code as exit_code_of says.
int run_program(const std::vector<std::string>& argv, const std::string& who,
                const std::string* input = nullptr);

}  // namespace natlab
