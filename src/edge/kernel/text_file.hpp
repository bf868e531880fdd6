#pragma once
// A small file read whole: state, logs and leases natlab or its daemons wrote.
#include <string>

namespace natlab {

// The file's text, or "" when it cannot be read (not there yet).
std::string read_text_file(const std::string& path);

}  // namespace natlab
