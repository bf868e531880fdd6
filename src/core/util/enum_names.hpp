#pragma once
// The one way an enum value gets its name and is parsed back: each named
// enum declares, beside itself, a constexpr table of (value, name) returned by
// `name_table(Enum{})` (found by argument-dependent lookup). Every message,
// renderer and parser goes through these, so a name is written exactly once.
#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace natlab {

template <class Enum, std::size_t N>
using NameTable = std::array<std::pair<Enum, const char*>, N>;

// The value's name in `table` ("?" for a value the table lacks).
template <class Enum, std::size_t N>
constexpr const char* name_in(const NameTable<Enum, N>& table, Enum value) {
    for (const auto& [v, name] : table)
        if (v == value) return name;
    return "?";
}

template <class Enum>
constexpr const char* name_of(Enum value) {
    return name_in(name_table(Enum{}), value);
}

template <class Enum>
std::optional<Enum> parse_name(std::string_view text) {
    for (const auto& [v, name] : name_table(Enum{}))
        if (text == name) return v;
    return std::nullopt;
}

// Every name in table order: for "use one of ..." and did-you-mean.
template <class Enum>
const std::vector<std::string>& names_of() {
    static const std::vector<std::string> names = [] {
        std::vector<std::string> out;
        for (const auto& entry : name_table(Enum{})) out.emplace_back(entry.second);
        return out;
    }();
    return names;
}

}  // namespace natlab
