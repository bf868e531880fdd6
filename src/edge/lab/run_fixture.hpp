#pragma once
// natlab run: create a lab, run one command with the lab in its environment
// (on the host, or on one node), remove the lab however the command ends.
// Without root the whole lab lives in an unprivileged user namespace.
#include <string>
#include <utility>
#include <vector>

namespace natlab {

struct RunRequest {
    std::string file, name, in_node;  // name "": the file's name and a random suffix
    bool keep = false, quiet = false;
    bool keep_on_failure = false;  // keep the lab only when the command fails
    std::vector<std::string> command;
    // The scenario: --at TIME ACTION, and the lines of --schedule FILE.
    std::vector<std::pair<std::string, std::string>> at;
    std::string schedule_file;
};

// natlab run's own failures (the run was impossible, a scheduled change
// failed, the lab could not be removed) exit with this code, never with one
// a command commonly returns (the convention of env, timeout and docker run).
inline constexpr int kRunFailed = 125;

// Returns natlab run's exit code: the command's, 128+N when signal N ended
// it or reached natlab, or kRunFailed when every scheduled change did not
// happen. Throws (before the command starts) when the run is impossible:
// InvalidInput for a bad request, else a runtime failure (both kRunFailed).
int run_fixture(const RunRequest& request);

// The words of `natlab run` (argv without "natlab run") must hold "--"
// before the command: otherwise a command's own options would be taken for
// natlab's. Throws InvalidInput with the right form when they do not.
void require_command_separator(const std::vector<std::string>& words);

}  // namespace natlab
