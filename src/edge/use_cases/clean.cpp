#include "edge/use_cases/clean.hpp"

#include <algorithm>
#include <set>

#include "core/names/marker.hpp"
#include "core/names/netns_name.hpp"
#include "core/topology/validate.hpp"
#include "core/util/threads.hpp"
#include "edge/container/stop.hpp"
#include "edge/hostnames/netns_etc_links.hpp"
#include "edge/kernel/inspect.hpp"
#include "edge/kernel/netns.hpp"
#include "edge/use_cases/lock.hpp"
#include "edge/use_cases/state_store.hpp"

namespace natlab {
namespace {

// Marker checks enter namespaces and ask the kernel: a few threads per core.
constexpr unsigned kCheckers = 8;
// Each removal waits for an RCU grace period (the kernel's unmount does), and
// removals waiting at once share one: threads far beyond the cores still
// help. Right after a 2001-namespace create, while its interfaces' IPv6
// start-up (DAD, router solicitations) keeps grace periods slow, 32 threads
// removed it in ~20 ms where 8 took 25-175 ms.
constexpr unsigned kRemovers = 32;

// The lab's containers whose processes really are natlab's; the rest told.
std::vector<ContainerRecord> own_containers(const LabState& state, CleanResult& result) {
    std::vector<ContainerRecord> own;
    for (const auto& c : state.containers) {
        std::string why;
        if (auto verified = verified_container(c, netns_name(state.lab, c.node), why))
            own.push_back(*verified);
        else
            result.left_alone.push_back("container " + c.machine + ": " + why + "; left running");
    }
    return own;
}

// Why namespace `netns` may not be removed as lab `lab`'s: "" when it carries
// the lab's marker for it, else the reason.
std::string not_the_labs(const std::string& lab, const std::string& netns) {
    if (!netns_exists(netns)) return "it does not exist";
    auto marker = read_marker(netns);
    if (!marker) return "it carries no natlab marker (made by someone else)";
    if (!marks(*marker, lab, netns))
        return "its marker says lab " + marker->lab + ", node " + marker->node;
    return "";
}

}  // namespace

CleanResult clean_lab(const std::string& lab) {
    CleanResult result;
    std::vector<std::string> named;  // by the state, newest first, then by their "<lab>-" names
    auto state = load_state(lab);
    if (state) {
        result.had_state = true;
        for (const auto& r : state->rejected)
            result.left_alone.push_back("state record '" + r + "' is not lab " + lab + "'s");
        named.assign(state->namespaces.rbegin(), state->namespaces.rend());
        auto containers = own_containers(*state, result);
        stop_containers(containers);
        for (const auto& c : containers) {
            remove_nspawn_leftovers(c.machine);
            result.containers_stopped.push_back(c.machine);
        }
    }
    std::set<std::string> known(named.begin(), named.end());
    for (const auto& netns : list_netns())
        if (netns.rfind(lab + "-", 0) == 0 && !known.count(netns)) named.push_back(netns);
    std::vector<std::string> why(named.size());
    parallel_for(named.size(), kCheckers,
                 [&](std::size_t i) { why[i] = not_the_labs(lab, named[i]); });
    std::vector<std::string> doomed;
    for (std::size_t i = 0; i < named.size(); ++i) {
        const std::string& netns = named[i];
        if (why[i].empty() || (known.count(netns) && netns_placeholder(netns)))
            doomed.push_back(netns);
        else if (known.count(netns) && netns_exists(netns))  // named by the state, yet not its
            result.left_alone.push_back("namespace " + netns + ": " + why[i] + "; left alone");
    }
    kill_namespace_processes(doomed);
    parallel_for(doomed.size(), kRemovers, [&](std::size_t i) { delete_netns(doomed[i]); });
    result.removed = doomed;
    unlink_netns_etc(lab);
    remove_state(lab);
    return result;
}

std::vector<std::string> find_labs() {
    std::set<std::string> labs;
    for (const auto& lab : labs_with_state())
        if (name_problem(lab).empty()) labs.insert(lab);
    for (const auto& netns : list_netns()) {
        if (auto marker = read_marker(netns); marker && marks(*marker, marker->lab, netns))
            labs.insert(marker->lab);
    }
    for (const auto& lab : labs_of_stale_netns_etc()) labs.insert(lab);
    return {labs.begin(), labs.end()};
}

CleanResult clean_lab_locked(const std::string& lab) {
    LabLock lock(lab);
    CleanResult result = clean_lab(lab);
    lock.remove_file();
    return result;
}

}  // namespace natlab
