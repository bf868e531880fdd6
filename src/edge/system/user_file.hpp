#pragma once
// A file the user names on the command line besides the topology (a
// schedule, a saved matrix), read whole the way the topology file is: only a
// regular file, and only up to a size limit, so that /dev/zero, a pipe or a
// directory is refused with a message instead of read forever or taken as
// empty.
#include <cstddef>
#include <string>

namespace natlab {

// What the messages say about the file.
struct UserFile {
    std::string command;  // "natlab run": starts every message
    std::string option;   // "--schedule": the option that names the file
    std::string kind;     // "a schedule file": what it should be
    std::string example;  // "a file of 'TIME ACTION' lines": what to give instead
    std::size_t max_bytes = 0;
    std::string max_bytes_note;  // "100,000 changes take 3 MiB": why the limit is enough
};

// The file's text. Throws InvalidInput naming the command, the option, the
// path and the fix when the path is missing or unreadable, is not a regular
// file, or holds more than `file.max_bytes`.
std::string read_user_file(const std::string& path, const UserFile& file);

}  // namespace natlab
