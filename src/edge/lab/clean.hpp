#pragma once
// Removing labs: exactly what the state recorded, plus any namespace that
// carries the lab's marker (for when the state file is gone or torn).
// Containers are stopped first and every process left in the lab's
// namespaces is killed, so nothing of the lab keeps running.
#include <string>
#include <vector>

namespace natlab {

struct CleanResult {
    std::vector<std::string> removed;             // namespaces that existed and were removed
    std::vector<std::string> containers_stopped;  // machine names
    bool had_state = false;
};

// Call with the lab's lock held. Succeeds when there is nothing to remove.
CleanResult clean_lab(const std::string& lab);

// Takes the lab's lock, cleans, and removes the lock file too.
CleanResult clean_lab_locked(const std::string& lab);

// Every lab that has state or marked namespaces on this machine.
std::vector<std::string> find_labs();

}  // namespace natlab
