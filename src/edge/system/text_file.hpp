#pragma once
// A small file read or written whole: state, logs and leases natlab or its
// daemons wrote.
#include <string>

namespace natlab {

// The file's text, or "" when it cannot be read (not there yet).
std::string read_text_file(const std::string& path);

// Writes `data` to the open descriptor `fd`; throws KernelError "WHAT: the
// errno's text" (a full disk says so).
void write_all(int fd, const std::string& data, const std::string& what);

// Replaces (or makes, mode 0644) the file at `path` with `text`; throws
// KernelError "writing PATH: the errno's text".
void write_text_file(const std::string& path, const std::string& text);

// The same through a file of its own beside it, renamed over `path`: a reader
// sees the old text or the new, never part of either.
void replace_text_file(const std::string& path, const std::string& text);

}  // namespace natlab
