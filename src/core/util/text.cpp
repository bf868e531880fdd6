#include "core/util/text.hpp"

#include <cstdio>

#include <algorithm>
#include <cctype>
#include <numeric>

namespace natlab {

std::string join(std::span<const std::string> parts, std::string_view separator) {
    std::string out;
    for (const auto& part : parts) {
        if (!out.empty()) out += separator;
        out += part;
    }
    return out;
}

std::size_t utf8_length(std::string_view text, std::size_t at) {
    auto lead = static_cast<unsigned char>(text[at]);
    std::size_t length = lead < 0x80           ? 1
                         : (lead >> 5) == 0x6  ? 2
                         : (lead >> 4) == 0xe  ? 3
                         : (lead >> 3) == 0x1e ? 4
                                               : 0;
    if (length == 0 || at + length > text.size()) return 0;
    for (std::size_t i = 1; i < length; ++i)
        if ((static_cast<unsigned char>(text[at + i]) >> 6) != 0x2) return 0;
    return length;
}

std::string printable(std::string_view text) {
    std::string out;
    for (std::size_t i = 0; i < text.size();) {
        auto c = static_cast<unsigned char>(text[i]);
        std::size_t length = utf8_length(text, i);
        if (length == 0 || c < 0x20 || c == 0x7f) {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\x%02x", c);
            out += buf;
            ++i;
            continue;
        }
        out.append(text.substr(i, length));
        i += length;
    }
    return out;
}

std::string quote(std::string_view text) {
    return "'" + printable(text) + "'";
}

static std::size_t edit_distance(std::string_view a, std::string_view b) {
    std::vector<std::size_t> row(b.size() + 1);
    std::iota(row.begin(), row.end(), 0);
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diagonal = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            std::size_t above = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] != b[j - 1])});
            diagonal = above;
        }
    }
    return row[b.size()];
}

namespace {
constexpr std::size_t kMostSuggested = 3;
}  // namespace

std::vector<std::string> closest_all(std::string_view word,
                                     std::span<const std::string> candidates) {
    std::vector<std::string> best;
    const std::size_t too_far = std::max<std::size_t>(2, word.size() / 3) + 1;
    std::size_t best_distance = too_far;
    for (const auto& candidate : candidates) {
        // The lengths' difference is a floor under the distance, and costs nothing.
        std::size_t longer = std::max(word.size(), candidate.size());
        if (longer - std::min(word.size(), candidate.size()) >= too_far) continue;
        std::size_t d = edit_distance(word, candidate);
        if (d >= too_far) continue;
        if (d < best_distance) {
            best_distance = d;
            best.clear();
        }
        if (d == best_distance) best.push_back(candidate);
    }
    return best;
}

std::optional<std::string> closest(std::string_view word, std::span<const std::string> candidates) {
    auto best = closest_all(word, candidates);
    if (best.empty()) return std::nullopt;
    return best.front();
}

std::string did_you_mean(std::string_view word, std::span<const std::string> candidates) {
    return did_you_mean(closest_all(word, candidates));
}

std::string did_you_mean(const std::vector<std::string>& best) {
    // Many names as close (a short word) point at none of them.
    if (best.empty() || best.size() > kMostSuggested) return "";
    std::vector<std::string> quoted;
    for (const auto& b : best) quoted.push_back(quote(b));
    std::string last = quoted.back();
    quoted.pop_back();
    return "; did you mean " + (quoted.empty() ? "" : join(quoted, ", ") + " or ") + last + "?";
}

std::string shell_quote(std::string_view text) {
    bool plain = !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) ||
               std::string_view("-_./:=,@%+").find(c) != std::string_view::npos;
    });
    if (plain) return std::string(text);
    std::string out = "'";
    for (char c : text) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

}  // namespace natlab
