#include "core/dhcp/lease_time.hpp"

#include <cstdint>

namespace natlab {

std::optional<int> parse_lease_seconds(std::string_view text) {
    if (text.empty()) return std::nullopt;
    std::int64_t unit = 1;
    switch (text.back()) {
        case 's':
            unit = 1;
            break;
        case 'm':
            unit = 60;
            break;
        case 'h':
            unit = 3600;
            break;
        case 'd':
            unit = 86400;
            break;
        default:
            unit = 0;
    }
    std::string_view digits = unit ? text.substr(0, text.size() - 1) : text;
    if (!unit) unit = 1;
    if (digits.empty() || digits.size() > 9) return std::nullopt;
    std::int64_t value = 0;
    for (char c : digits) {
        if (c < '0' || c > '9') return std::nullopt;
        value = value * 10 + (c - '0');
    }
    value *= unit;
    if (value > 0x7fffffff) return std::nullopt;
    return static_cast<int>(value);
}

std::string format_lease(int seconds) {
    if (seconds > 0 && seconds % 86400 == 0) return std::to_string(seconds / 86400) + "d";
    if (seconds > 0 && seconds % 3600 == 0) return std::to_string(seconds / 3600) + "h";
    if (seconds > 0 && seconds % 60 == 0) return std::to_string(seconds / 60) + "m";
    return std::to_string(seconds) + "s";
}

}  // namespace natlab
