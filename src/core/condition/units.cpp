#include "core/condition/units.hpp"

#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>

namespace natlab {
namespace {

// "40ms" -> (40.0, "ms"): a non-negative decimal number and what follows it.
std::optional<std::pair<double, std::string>> number_and_unit(std::string_view text) {
    std::size_t end = 0;
    while (end < text.size() &&
           (std::isdigit(static_cast<unsigned char>(text[end])) || text[end] == '.'))
        ++end;
    if (end == 0) return std::nullopt;
    double value = 0;
    auto [ptr, ec] = std::from_chars(text.data(), text.data() + end, value);
    if (ec != std::errc{} || ptr != text.data() + end || !std::isfinite(value)) return std::nullopt;
    std::string unit;
    for (char c : text.substr(end))
        unit += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return std::pair{value, unit};
}

// A whole number of units, or nothing when it does not fit.
template <class T>
std::optional<T> whole(double value, double scale) {
    double v = std::round(value * scale);
    if (v > 9.0e15) return std::nullopt;
    return static_cast<T>(v);
}

std::string trimmed_decimal(double value) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.4f", value);
    std::string s = buffer;
    s.erase(s.find_last_not_of('0') + 1);
    if (s.back() == '.') s.pop_back();
    return s;
}

}  // namespace

std::optional<std::int64_t> parse_duration_us(std::string_view text) {
    auto parsed = number_and_unit(text);
    if (!parsed) return std::nullopt;
    auto [value, unit] = *parsed;
    if (unit == "us") return whole<std::int64_t>(value, 1);
    if (unit == "ms") return whole<std::int64_t>(value, 1e3);
    if (unit == "s") return whole<std::int64_t>(value, 1e6);
    return std::nullopt;
}

std::optional<double> parse_percent(std::string_view text) {
    auto parsed = number_and_unit(text);
    if (!parsed || parsed->second != "%") return std::nullopt;
    return parsed->first;
}

std::optional<std::uint64_t> parse_rate_bps(std::string_view text) {
    auto parsed = number_and_unit(text);
    if (!parsed) return std::nullopt;
    auto [value, unit] = *parsed;
    if (unit.size() > 2 && unit.ends_with("/s")) unit.resize(unit.size() - 2);
    if (unit == "bit") return whole<std::uint64_t>(value, 1);
    if (unit == "kbit") return whole<std::uint64_t>(value, 1e3);
    if (unit == "mbit") return whole<std::uint64_t>(value, 1e6);
    if (unit == "gbit") return whole<std::uint64_t>(value, 1e9);
    return std::nullopt;
}

std::string format_duration(std::int64_t us) {
    if (us != 0 && us % 1000000 == 0) return std::to_string(us / 1000000) + "s";
    if (us % 1000 == 0) return std::to_string(us / 1000) + "ms";
    return std::to_string(us) + "us";
}

std::string format_percent(double percent) {
    return trimmed_decimal(percent) + "%";
}

std::string format_rate(std::uint64_t bps) {
    if (bps != 0 && bps % 1000000000 == 0) return std::to_string(bps / 1000000000) + "gbit";
    if (bps != 0 && bps % 1000000 == 0) return std::to_string(bps / 1000000) + "mbit";
    if (bps != 0 && bps % 1000 == 0) return std::to_string(bps / 1000) + "kbit";
    return std::to_string(bps) + "bit";
}

}  // namespace natlab
