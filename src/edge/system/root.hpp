#pragma once
#include <string>

namespace natlab {

// Throws unless natlab runs as root, naming the command that needs it.
void require_root(const std::string& command);

// True in a user namespace other than the machine's own: where natlab run
// without root makes its lab.
bool in_user_namespace();

}  // namespace natlab
