#include "core/schedule/nat_keys_so_far.hpp"

#include <algorithm>

namespace natlab {

// Dropping a key's earlier value leaves the NAT as the whole sequence does:
// a value sets its own field, and what it resets or converts on the way
// (type and the two classes, port-allocation and port-preservation) a later
// value of the same key sets again from the same fields, or a `type` after
// both resets. Each address replaces the outside link's IPv4 address whole.
void NatKeysSoFar::add(const std::string& nat, const NatSettings& settings) {
    auto it = std::find_if(nats_.begin(), nats_.end(),
                           [&](const auto& entry) { return entry.first == nat; });
    if (it == nats_.end()) {
        it = nats_.insert(nats_.end(), {nat, {}});
        changes_.push_back({nat, "", std::nullopt, std::nullopt, "", std::nullopt});
    }
    NatSettings& keys = it->second;
    for (const auto& setting : settings) {
        std::erase_if(keys, [&](const auto& kept) { return kept.first == setting.first; });
        keys.push_back(setting);
    }
    changes_[static_cast<std::size_t>(it - nats_.begin())].nat = nat_settings_words(keys);
}

}  // namespace natlab
