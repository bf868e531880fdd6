#pragma once
#include <string>

namespace natlab {

// Throws unless natlab runs as root, naming the command that needs it.
void require_root(const std::string& command);

}  // namespace natlab
