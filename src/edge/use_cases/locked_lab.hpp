#pragma once
// A live lab held under its lock for a change (natlab set, link, rebind,
// flush, rules --reload).
#include <string>

#include "core/lifecycle/loaded_lab.hpp"
#include "core/lifecycle/state_format.hpp"
#include "edge/use_cases/lock.hpp"

namespace natlab {

class LockedLab {
  public:
    // Throws InvalidInput (no_such_lab) for a lab that does not exist, whose
    // lock file is then neither made nor left behind. A change an earlier
    // natlab began and did not finish (killed midway) is finished first,
    // and told on stderr.
    explicit LockedLab(const std::string& lab);

    const LoadedLab& loaded() const { return loaded_; }
    const LabState& state() const { return state_; }

    // `pending` made in the kernel by `make`, journalled as begun before the
    // kernel is touched and as made after. A failure is told now, so the
    // journal keeps the lab as declared before, and status judges the kernel
    // against that.
    template <class Make>
    void change(const PendingChange& pending, Make make) {
        begin(pending);
        try {
            make();
        } catch (...) {
            abandoned();
            throw;
        }
        made(pending.change);
    }

  private:
    void begin(const PendingChange& pending);
    void made(const LiveChange& change);
    void abandoned();

    std::string lab_;
    LabLock lock_;
    LabState state_;
    LoadedLab loaded_;
};

// The record of a change this natlab process is about to make.
PendingChange pending_change(const LiveChange& change, bool drop_bindings = false);

}  // namespace natlab
