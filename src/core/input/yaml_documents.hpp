#pragma once
// The YAML documents of a file's text, read with two guards yaml-cpp lacks,
// so that the time and memory a file costs follow its size: a stray ',',
// ']' or '}' where a document starts makes yaml-cpp 0.7.0's LoadAll add
// empty documents without end (yaml-cpp issue 1040), and aliases let a small
// file stand for a tree far larger than itself (each '*ref' is the whole
// anchored node again to whoever reads the tree). Either is a problem at its
// line:column instead, and so is a NUL character in a value.
#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "core/input/diagnostics.hpp"

namespace natlab {

// The nodes aliases may repeat in a file that writes fewer than this many
// itself; a larger file may repeat as many nodes as it writes.
inline constexpr std::uint64_t kMostRepeatedNodes = 100'000;

// Every document of `text`, or nullopt after telling `diag` why the text
// cannot be read: a syntax error, nesting too deep, a stray flow indicator,
// an alias inside the node it names, aliases that repeat too many nodes, or
// a NUL in a value.
std::optional<std::vector<YAML::Node>> read_yaml_documents(std::string_view text,
                                                           Diagnostics& diag);

}  // namespace natlab
