#pragma once
// The quantities of a link condition as written and as printed, in the units
// tc uses: durations ("40ms", "1.5s", "500us"), percentages ("1%", "0.5%")
// and rates in bits per second ("20mbit", "512kbit"). Pure.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace natlab {

std::optional<std::int64_t> parse_duration_us(std::string_view text);
std::optional<double> parse_percent(std::string_view text);
std::optional<std::uint64_t> parse_rate_bps(std::string_view text);

// The shortest exact form: 40000 -> "40ms", 1500 -> "1500us", 2000000 -> "2s".
std::string format_duration(std::int64_t us);
std::string format_percent(double percent);  // "1%", "0.25%"
std::string format_rate(std::uint64_t bps);  // "20mbit", "1500kbit", "800bit"

}  // namespace natlab
