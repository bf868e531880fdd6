#pragma once
// Scalar values as validation reads them: numbers in a range, booleans.
#include <optional>
#include <string_view>

#include "core/input/diagnostics.hpp"
#include "core/input/marked.hpp"

namespace natlab {

// The whole text as a decimal integer within [min, max], or nullopt.
std::optional<int> parse_int(std::string_view text, int min, int max);

// true/false; anything else is reported at the value ("'key' must be true or
// false") and read as false.
bool read_boolean(const Marked<std::string>& value, std::string_view key, Diagnostics& diag);

}  // namespace natlab
