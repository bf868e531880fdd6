#pragma once
// The NAT keys a scenario has set up to some change, as the journal of
// changes that load_changed_lab lays over the topology. Each NAT keeps only
// the last value of each key, so the journal stays as long as the lab's NATs
// have keys, however long the scenario: checking a scenario of n changes
// reads n short journals instead of journals n changes long.
#include <string>
#include <utility>
#include <vector>

#include "core/lifecycle/state_format.hpp"
#include "core/nat/nat_settings.hpp"

namespace natlab {

class NatKeysSoFar {
  public:
    void add(const std::string& nat, const NatSettings& settings);
    // One change per NAT, its keys in the order last set.
    const std::vector<LiveChange>& changes() const { return changes_; }

  private:
    std::vector<std::pair<std::string, NatSettings>> nats_;  // in the order first set
    std::vector<LiveChange> changes_;
};

}  // namespace natlab
