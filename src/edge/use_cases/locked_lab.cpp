#include "edge/use_cases/locked_lab.hpp"

#include <unistd.h>

#include <iostream>
#include <stdexcept>

#include "core/lifecycle/live_changes.hpp"
#include "core/util/invalid_input.hpp"
#include "edge/system/process.hpp"
#include "edge/use_cases/change_dhcp.hpp"
#include "edge/use_cases/change_link.hpp"
#include "edge/use_cases/change_nat.hpp"
#include "edge/use_cases/live_lab.hpp"
#include "edge/use_cases/state_store.hpp"

namespace natlab {
namespace {

// `lab`, when there is such a lab: a lock file is made only for one.
const std::string& existing_lab(const std::string& lab) {
    check_lab_name(lab);
    if (!load_state(lab)) throw InvalidInput(no_such_lab(lab));
    return lab;
}

// The kernel side of `pending` made again from whatever a killed natlab
// left, and journalled as made. When that fails, the change is abandoned
// (the journal keeps the lab as it was declared before) and the failure told.
void finish(const std::string& lab, const LabState& state, const PendingChange& pending) {
    const std::string command = change_command(lab, pending);
    try {
        std::vector<LiveChange> changes = state.changes;
        LoadedLab before = load_changed_lab(load_topology_copy(lab), state.source, lab, changes);
        changes.push_back(pending.change);
        LoadedLab after = load_changed_lab(load_topology_copy(lab), state.source, lab, changes);
        if (pending.change.nat)
            finish_nat_change(lab, before.lab, after.lab, pending);
        else if (pending.change.dhcp)
            finish_dhcp_change(lab, after.lab, pending);
        else
            finish_link_change(lab, after.lab, pending.change);
    } catch (const std::exception& e) {
        append_state_record(lab, state_abandon_record());
        throw std::runtime_error("'" + command +
                                 "' was begun by an earlier natlab and not finished, and finishing "
                                 "it failed: " +
                                 e.what() + "\nit is abandoned; 'natlab status " + lab +
                                 "' tells what differs from the lab as it was before");
    }
    std::cerr << "natlab: finished '" << command
              << "', which an earlier natlab began and did not finish\n";
}

}  // namespace

LockedLab::LockedLab(const std::string& lab) : lab_(lab), lock_(existing_lab(lab)) {
    auto state = load_state(lab);
    if (!state) {
        // Removed while this waited for the lock: the file is this one's own.
        lock_.remove_file();
        throw InvalidInput(no_such_lab(lab));
    }
    if (state->complete && state->pending) {
        finish(lab, *state, *state->pending);
        state = load_state(lab);
    }
    loaded_ = load_live_lab(lab, *state);
    state_ = std::move(*state);
}

void LockedLab::begin(const PendingChange& pending) {
    append_state_record(lab_, state_begin_record(pending));
}

void LockedLab::made(const LiveChange& change) {
    append_state_record(lab_, state_change_record(change));
}

void LockedLab::abandoned() {
    append_state_record(lab_, state_abandon_record());
}

PendingChange pending_change(const LiveChange& change, bool drop_bindings) {
    auto self = process_record(::getpid());
    if (!self) throw std::runtime_error("reading /proc/self/stat failed");
    return {change, drop_bindings, *self};
}

}  // namespace natlab
