#pragma once
// A node's names as they are on disk now, for 'natlab status'.
#include <string>

#include "core/status/snapshot.hpp"

namespace natlab {

NamesSnapshot names_snapshot(const std::string& lab, const std::string& node);

}  // namespace natlab
