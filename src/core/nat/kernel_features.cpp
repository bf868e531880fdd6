#include "core/nat/kernel_features.hpp"

#include <array>
#include <charconv>

namespace natlab {
namespace {

struct Known {
    std::string_view first_word;
    KernelFeature feature;
};

// Every statement and expression natlab's NAT rules use, by their first word.
constexpr std::array kKnown = {
    Known{"masquerade", {"masquerading", "CONFIG_NFT_MASQ", "3.18"}},
    Known{"snat", {"source NAT", "CONFIG_NFT_NAT", "3.13"}},
    Known{"dnat", {"destination NAT", "CONFIG_NFT_NAT", "3.13"}},
    Known{"ct", {"conntrack matches", "CONFIG_NFT_CT", "3.13"}},
    Known{"fib", {"routing lookups (fib)", "CONFIG_NFT_FIB_IPV4", "4.10"}},
    Known{"update", {"sets updated by packets", "CONFIG_NF_TABLES_SET", "4.3"}},
    Known{"numgen", {"number generators", "CONFIG_NFT_NUMGEN", "4.9"}},
    Known{"queue", {"queueing packets to a program", "CONFIG_NFT_QUEUE", "3.15"}},
    Known{"limit", {"rate limits", "CONFIG_NFT_LIMIT", "3.13"}},
    Known{"counter", {"counters", "CONFIG_NF_TABLES", "3.13"}},
};

std::string_view first_word(std::string_view s) {
    auto start = s.find_first_not_of(" \t");
    if (start == std::string_view::npos) return {};
    s.remove_prefix(start);
    return s.substr(0, s.find_first_of(" \t"));
}

std::string_view line_of(std::string_view text, std::size_t index) {
    for (; index > 0; --index) {
        auto nl = text.find('\n');
        if (nl == std::string_view::npos) return {};
        text.remove_prefix(nl + 1);
    }
    return text.substr(0, text.find('\n'));
}

// "line 14:37-68: Error: ..." -> the columns 37 and 68 (1-based, inclusive).
bool marked_columns(std::string_view header, int& first, int& last) {
    constexpr std::string_view kLine = "line ";
    if (header.substr(0, kLine.size()) != kLine) return false;
    auto colon = header.find(':');
    if (colon == std::string_view::npos) return false;
    const char* p = header.data() + colon + 1;
    const char* end = header.data() + header.size();
    auto [after_first, e1] = std::from_chars(p, end, first);
    if (e1 != std::errc{}) return false;
    last = first;
    if (after_first < end && *after_first == '-') {
        auto [after_last, e2] = std::from_chars(after_first + 1, end, last);
        if (e2 != std::errc{}) return false;
        (void)after_last;
    }
    return first >= 1 && last >= first;
}

}  // namespace

std::optional<KernelFeature> feature_of(std::string_view part) {
    std::string_view word = first_word(part);
    for (const auto& known : kKnown)
        if (known.first_word == word) return known.feature;
    return std::nullopt;
}

std::string refused_part(std::string_view nft_error) {
    int first = 0, last = 0;
    if (!marked_columns(line_of(nft_error, 0), first, last)) return "";
    std::string_view rule = line_of(nft_error, 1);
    if (static_cast<std::size_t>(last) > rule.size()) return "";
    return std::string(rule.substr(static_cast<std::size_t>(first) - 1,
                                   static_cast<std::size_t>(last - first + 1)));
}

std::string explain_refused_rules(std::string_view nft_error) {
    std::string_view header = line_of(nft_error, 0);
    auto said = header.find("Error: ");
    std::string text =
        "this kernel refuses its NAT rules (" +
        std::string(said == std::string_view::npos ? header : header.substr(said + 7)) + ")";
    std::string part = refused_part(nft_error);
    if (part.empty()) return text + "; natlab needs Linux 6.1 or later with nftables";
    text += " at '" + part + "'";
    if (auto feature = feature_of(part))
        return text + ": it needs " + std::string(feature->what) + " (kernel option " +
               std::string(feature->config) + ", in Linux since " + std::string(feature->since) +
               "); load its module or use a kernel built with it";
    return text + "; natlab needs Linux 6.1 or later with nftables";
}

}  // namespace natlab
