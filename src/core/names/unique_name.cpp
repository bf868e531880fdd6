#include "core/names/unique_name.hpp"

#include <cstdio>

#include "core/topology/lab.hpp"

namespace natlab {

std::string unique_lab_name(const std::string& base, std::uint32_t random) {
    char suffix[8];
    std::snprintf(suffix, sizeof suffix, "-%06x", static_cast<unsigned>(random & 0xffffff));
    std::string stem = base.substr(0, kMaxNameLength - 7);
    while (!stem.empty() && stem.back() == '-') stem.pop_back();  // no "lab--1a2b3c"
    return stem + suffix;
}

}  // namespace natlab
