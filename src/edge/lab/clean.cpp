#include "edge/lab/clean.hpp"

#include <algorithm>
#include <set>

#include "edge/container/stop.hpp"
#include "edge/kernel/inspect.hpp"
#include "edge/kernel/netns.hpp"
#include "edge/lab/lock.hpp"
#include "edge/lab/state_store.hpp"

namespace natlab {

CleanResult clean_lab(const std::string& lab) {
    CleanResult result;
    std::vector<std::string> doomed;
    auto state = load_state(lab);
    if (state) {
        result.had_state = true;
        doomed.assign(state->namespaces.rbegin(), state->namespaces.rend());
        stop_containers(state->containers);
        for (const auto& c : state->containers) {
            remove_nspawn_leftovers(c.machine);
            result.containers_stopped.push_back(c.machine);
        }
    }
    // Namespaces named like the lab's but missing from its state: trust only
    // the marker, never the name (lab "a" must not remove lab "a-b"'s nodes).
    std::set<std::string> known(doomed.begin(), doomed.end());
    for (const auto& netns : list_netns()) {
        if (netns.rfind(lab + "-", 0) != 0 || known.count(netns)) continue;
        auto marker = read_marker(netns);
        if (marker && marker->lab == lab) doomed.push_back(netns);
    }
    kill_namespace_processes(doomed);
    for (const auto& netns : doomed) {
        bool existed = netns_exists(netns);
        delete_netns(netns);
        if (existed) result.removed.push_back(netns);
    }
    remove_state(lab);
    return result;
}

std::vector<std::string> find_labs() {
    std::set<std::string> labs;
    for (const auto& lab : labs_with_state()) labs.insert(lab);
    for (const auto& netns : list_netns()) {
        if (auto marker = read_marker(netns)) labs.insert(marker->lab);
    }
    return {labs.begin(), labs.end()};
}

CleanResult clean_lab_locked(const std::string& lab) {
    LabLock lock(lab);
    CleanResult result = clean_lab(lab);
    lock.remove_file();
    return result;
}

}  // namespace natlab
