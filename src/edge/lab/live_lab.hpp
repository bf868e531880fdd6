#pragma once
// A lab that exists: its state on disk and the topology it was made from.
#include <string>

#include "core/lab/loaded_lab.hpp"

namespace natlab {

// Throws when there is no such lab, or its create never finished.
LoadedLab load_live_lab(const std::string& lab);

}  // namespace natlab
