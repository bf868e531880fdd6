#pragma once
// NAT keys changed on a live NAT (natlab set LAB NAT KEY=VALUE), laid over the
// node's keys as written, as if the file said them: the lab is then checked
// and planned as a whole, so a live NAT obeys every rule a written one does.
// Pure.
#include <string>
#include <utility>
#include <vector>

#include "core/nat/nat_spec.hpp"

namespace natlab {

using NatSettings = std::vector<std::pair<std::string, std::string>>;

// The keys a live NAT can change: its behaviour and its external address,
// not its forwards or exclusions (those are edited in the file).
const std::vector<std::string>& live_nat_keys();

// `address=100.64.1.50`: the NAT's external address (a carrier that
// renumbers). Not a key of the nat section but of the outside link's
// endpoint, so the lab loader lays it there; apply_nat_settings skips it.
// A NAT with several outsides names the one: `address.en0=192.168.1.50`.
inline constexpr const char* kAddressKey = "address";
inline bool is_address_key(const std::string& key) {
    return key == kAddressKey || key.starts_with(std::string(kAddressKey) + ".");
}

// Each setting over `spec`; "none" removes a key (its default applies).
// Keys that say the same thing in two ways replace each other: `type`
// replaces `mapping` and `filtering` (and either of those turns a `type`
// into the two classes it means); `port-allocation` replaces
// `port-preservation` and the other way round. Unknown keys and keys that
// cannot change live go to `problems`, and leave `spec` as it was.
void apply_nat_settings(NatSpec& spec, const NatSettings& settings,
                        std::vector<std::string>& problems);

// "type=symmetric port-range=none": the journal's words, and back.
std::string nat_settings_words(const NatSettings& settings);
NatSettings nat_settings_of_words(const std::string& words);

}  // namespace natlab
