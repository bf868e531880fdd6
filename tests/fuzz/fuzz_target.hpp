#pragma once
// What every harness defines: libFuzzer's entry point, which either libFuzzer
// or the plain driver (driver.cpp) calls with one input at a time. A harness
// returns 0 for any input natlab refuses with a message; an exception that
// escapes, or an abort on a broken invariant, is a finding.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace natlab::fuzz {

inline std::string text_of(const std::uint8_t* data, std::size_t size) {
    return std::string(reinterpret_cast<const char*>(data), size);
}

// KEY=VALUE words split at blanks, as natlab set takes them; nullopt for a
// word without a key and '=' (natlab set refuses it).
inline std::optional<std::vector<std::pair<std::string, std::string>>> settings_of(
    const std::string& text) {
    std::istringstream words(text);
    std::vector<std::pair<std::string, std::string>> settings;
    for (std::string word; words >> word;) {
        auto eq = word.find('=');
        if (eq == std::string::npos || eq == 0) return std::nullopt;
        settings.emplace_back(word.substr(0, eq), word.substr(eq + 1));
    }
    return settings;
}

// A broken invariant: says which, then aborts, so that both libFuzzer and the
// driver keep the input.
[[noreturn]] inline void broken(const std::string& what) {
    std::fprintf(stderr, "fuzz: invariant broken: %s\n", what.c_str());
    std::abort();
}

}  // namespace natlab::fuzz
