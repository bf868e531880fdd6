#pragma once
// Small string helpers shared by diagnostics and renderers.
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace natlab {

std::string join(std::span<const std::string> parts, std::string_view separator);
std::string quote(std::string_view text);  // 'text', for messages
// The candidate closest to word by edit distance, when it is close enough to
// be a plausible typo.
std::optional<std::string> closest(std::string_view word, std::span<const std::string> candidates);
// "; did you mean 'x'?" or "" when nothing is close.
std::string did_you_mean(std::string_view word, std::span<const std::string> candidates);
std::string shell_quote(std::string_view text);

}  // namespace natlab
