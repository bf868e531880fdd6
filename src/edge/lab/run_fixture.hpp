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
    std::vector<std::string> command;
    // The scenario: --at TIME ACTION, and the lines of --schedule FILE.
    std::vector<std::pair<std::string, std::string>> at;
    std::string schedule_file;
};

// Returns natlab run's exit code: the command's, or 128+N when signal N
// ended it or reached natlab. Throws (before the command starts) when the
// run is impossible: InvalidInput for a bad request, else a runtime failure.
int run_fixture(const RunRequest& request);

}  // namespace natlab
