#include "core/condition/qdisc_settings.hpp"

#include <algorithm>
#include <cmath>

#include "core/condition/units.hpp"
#include "core/util/text.hpp"

namespace natlab {
namespace {

constexpr std::uint32_t kFullFrame = 1514;  // an Ethernet frame of a 1500-byte packet
// The bucket holds 10 ms of the rate (at least two frames), so that the
// kernel's timer granularity never starves it; the queue 50 ms more.
constexpr double kBurstSeconds = 0.010;
constexpr double kQueueSeconds = 0.050;

std::string netem_arguments(const LinkCondition& c) {
    std::string args = "netem";
    if (c.delay_us) {
        args += " delay " + format_duration(*c.delay_us);
        if (c.jitter_us) args += " " + format_duration(*c.jitter_us);
    }
    if (c.loss) args += " loss " + format_percent(*c.loss);
    if (c.reorder) args += " reorder " + format_percent(*c.reorder);
    if (c.duplicate) args += " duplicate " + format_percent(*c.duplicate);
    if (c.corrupt) args += " corrupt " + format_percent(*c.corrupt);
    if (c.limit) args += " limit " + std::to_string(*c.limit);
    return args;
}

std::string tbf_arguments(const TokenBucket& b) {
    return "tbf rate " + std::to_string(b.rate_bytes * 8) + "bit burst " +
           std::to_string(b.burst_bytes) + " limit " + std::to_string(b.limit_bytes);
}

}  // namespace

std::uint32_t netem_probability(double percent) {
    double p = std::clamp(percent, 0.0, 100.0) / 100.0 * 4294967295.0;
    return static_cast<std::uint32_t>(std::llround(p));
}

std::optional<TokenBucket> token_bucket(const LinkCondition& c) {
    if (!c.rate_bps) return std::nullopt;
    TokenBucket b;
    b.rate_bytes = *c.rate_bps / 8;
    auto seconds_of = [&](double s) {
        return static_cast<std::uint32_t>(std::min<double>(b.rate_bytes * s, 1u << 30));
    };
    b.burst_bytes = std::max(2 * kFullFrame, seconds_of(kBurstSeconds));
    // With netem in front, `limit` is netem's queue; alone it is the bucket's, in frames.
    b.limit_bytes = c.limit && !c.needs_netem()
                        ? static_cast<std::uint32_t>(*c.limit) * kFullFrame
                        : b.burst_bytes + std::max(kFullFrame, seconds_of(kQueueSeconds));
    return b;
}

std::vector<std::string> tc_commands(const std::string& netns, const std::string& ifname,
                                     const LinkCondition& c) {
    std::vector<std::string> lines;
    std::string dev = "tc -n " + shell_quote(netns) + " qdisc replace dev " + shell_quote(ifname);
    auto bucket = token_bucket(c);
    if (c.needs_netem()) {
        lines.push_back(dev + " root handle 1: " + netem_arguments(c));
        if (bucket) lines.push_back(dev + " parent 1:1 handle 10: " + tbf_arguments(*bucket));
    } else if (bucket) {
        lines.push_back(dev + " root handle 1: " + tbf_arguments(*bucket));
    }
    return lines;
}

}  // namespace natlab
