#pragma once
// A lab that exists: its state on disk and the topology it was made from.
#include <string>

#include "core/lifecycle/loaded_lab.hpp"
#include "core/lifecycle/state_format.hpp"

namespace natlab {

// Throws when there is no such lab (InvalidInput: no_such_lab), or its create
// never finished.
LoadedLab load_live_lab(const std::string& lab);
// The same from its state, read already.
LoadedLab load_live_lab(const std::string& lab, const LabState& state);

// "natlab: no lab named 'x' on this machine; its labs are a, b; did you mean
// 'a'? (see 'natlab list')", or that there is none.
std::string no_such_lab(const std::string& lab);

}  // namespace natlab
