#pragma once
// How a LinkCondition becomes queueing disciplines on the sending interface,
// shared by the executor (libnl) and the shell script (tc), so both make the
// same: netem as the root (handle 1:) for delay, jitter, loss, reorder,
// duplicate and corrupt; a token bucket (tbf) for the rate, under netem
// (parent 1:1, handle 10:) or as the root when the rate is all there is.
// Pure.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/condition/condition.hpp"

namespace natlab {

struct TokenBucket {
    std::uint64_t rate_bytes = 0;  // per second
    std::uint32_t burst_bytes = 0;
    std::uint32_t limit_bytes = 0;  // queued before tail drop
};

// netem's probabilities: 0 .. 2^32-1 for 0% .. 100%, as tc sends them.
std::uint32_t netem_probability(double percent);

std::optional<TokenBucket> token_bucket(const LinkCondition& c);

// "tc -n NS qdisc replace dev IF root handle 1: netem delay 40ms ..." lines;
// none for an empty condition.
std::vector<std::string> tc_commands(const std::string& netns, const std::string& ifname,
                                     const LinkCondition& c);

}  // namespace natlab
