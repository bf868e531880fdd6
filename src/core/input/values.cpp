#include "core/input/values.hpp"

#include <charconv>

#include "core/util/text.hpp"

namespace natlab {

std::optional<int> parse_int(std::string_view text, int min, int max) {
    int value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc{} || end != text.data() + text.size() || value < min || value > max)
        return std::nullopt;
    return value;
}

bool read_boolean(const Marked<std::string>& value, std::string_view key, Diagnostics& diag) {
    if (value.value == "true") return true;
    if (value.value == "false") return false;
    diag.error(value.pos,
               "'" + std::string(key) + "' must be true or false, got " + quote(value.value));
    return false;
}

}  // namespace natlab
