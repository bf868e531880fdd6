#pragma once
// Names for labs that must not collide with a parallel copy of themselves
// (natlab run without --name, CI jobs sharing a machine). Pure.
#include <cstdint>
#include <string>

namespace natlab {

// "<base>-<6 hex digits of random>", base shortened so the whole name stays
// within kMaxNameLength.
std::string unique_lab_name(const std::string& base, std::uint32_t random);

}  // namespace natlab
