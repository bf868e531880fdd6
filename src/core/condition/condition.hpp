#pragma once
// What one end of a link does to the packets it sends: the netem and rate
// settings of one direction. Plain values, each unset unless asked for. Pure.
#include <cstdint>
#include <optional>
#include <string>

namespace natlab {

struct LinkCondition {
    std::optional<std::int64_t> delay_us, jitter_us;          // added before a packet leaves
    std::optional<double> loss, reorder, duplicate, corrupt;  // percent of packets, 0-100
    std::optional<std::uint64_t> rate_bps;                    // bits per second
    std::optional<int> limit;                                 // packets the queue holds

    bool empty() const { return !needs_netem() && !rate_bps && !limit; }
    // Everything but the rate is netem's; the rate is a token bucket (tbf).
    bool needs_netem() const {
        return delay_us || jitter_us || loss || reorder || duplicate || corrupt;
    }
    // Keys set here win over `base`'s, one by one.
    LinkCondition over(const LinkCondition& base) const;
    // The same without the key named ("delay", "rate", ...).
    LinkCondition without(const std::string& key) const;
    bool operator==(const LinkCondition&) const = default;
};

// Whether what the kernel reports holds `wanted`: its clock ticks and 32-bit
// probabilities bring values back a hair off, and netem's queue is 1000
// packets unless told otherwise.
bool holds(const LinkCondition& kernel, const LinkCondition& wanted);

}  // namespace natlab
