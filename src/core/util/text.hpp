#pragma once
// Small string helpers shared by diagnostics and renderers.
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace natlab {

std::string join(std::span<const std::string> parts, std::string_view separator);
// The text as a terminal may show it: control characters (ESC, NUL, ...) and
// bytes that are not UTF-8 become \xNN; every UTF-8 character stays whole.
std::string printable(std::string_view text);
// The length of the UTF-8 character starting at `at`, or 0 when the bytes there are not one.
std::size_t utf8_length(std::string_view text, std::size_t at);
std::string quote(std::string_view text);  // 'text', printable, for messages
// The candidate closest to word by edit distance, when it is close enough to
// be a plausible typo.
std::optional<std::string> closest(std::string_view word, std::span<const std::string> candidates);
// Every candidate at the closest distance (two names one edit away are
// equally likely meant), in the order given.
std::vector<std::string> closest_all(std::string_view word,
                                     std::span<const std::string> candidates);
// "; did you mean 'x'?" ("'a' or 'b'" when as close, up to three), or "" when
// nothing is close (or more than three are as close).
std::string did_you_mean(std::string_view word, std::span<const std::string> candidates);
// The same for the candidates closest_all found, when the caller needs them too.
std::string did_you_mean(const std::vector<std::string>& best);
std::string shell_quote(std::string_view text);

}  // namespace natlab
