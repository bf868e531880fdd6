#pragma once
// Removing labs: what the state recorded and what carries the lab's marker,
// and nothing else. Every namespace is removed only when its loopback carries
// this lab's marker for that very namespace (natlab sets it before the
// namespace is bound under /run/netns, so every namespace natlab made has
// it); every process only when it is the one natlab started. Containers are
// stopped first and every process left in the lab's namespaces is killed, so
// nothing of the lab keeps running.
#include <string>
#include <vector>

namespace natlab {

struct CleanResult {
    std::vector<std::string> removed;             // namespaces that existed and were removed
    std::vector<std::string> containers_stopped;  // machine names
    // What the state named but is not the lab's, left as it is: one sentence each.
    std::vector<std::string> left_alone;
    bool had_state = false;
};

// Call with the lab's lock held. Succeeds when there is nothing to remove.
CleanResult clean_lab(const std::string& lab);

// Takes the lab's lock, cleans, and removes the lock file too.
CleanResult clean_lab_locked(const std::string& lab);

// Every lab that has state or marked namespaces on this machine.
std::vector<std::string> find_labs();

}  // namespace natlab
