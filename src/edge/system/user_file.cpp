#include "edge/system/user_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "core/util/invalid_input.hpp"
#include "core/util/text.hpp"
#include "edge/system/fd.hpp"

namespace natlab {
namespace {

// What a path is when it is not a regular file: "a directory", ...
std::string file_type_name(mode_t mode) {
    if (S_ISDIR(mode)) return "a directory";
    if (S_ISCHR(mode)) return "a character device";
    if (S_ISBLK(mode)) return "a block device";
    if (S_ISFIFO(mode)) return "a pipe";
    if (S_ISSOCK(mode)) return "a socket";
    return "not a regular file";
}

[[noreturn]] void cannot_read(const std::string& path, const UserFile& file, int err) {
    std::string reason = err == ENOENT || err == ENOTDIR ? "" : std::strerror(err);
    throw InvalidInput(file.command + ": cannot read " + file.option + " file " + quote(path) +
                       ": " + (reason.empty() ? "" : reason + "; ") + "check the path");
}

std::string size_text(std::size_t bytes) {
    return bytes >= (1u << 20) ? std::to_string(bytes >> 20) + " MiB"
                               : std::to_string(bytes >> 10) + " KiB";
}

}  // namespace

std::string read_user_file(const std::string& path, const UserFile& file) {
    // O_NONBLOCK: opening a pipe that no one writes to returns at once, to be
    // refused below, instead of waiting for a writer.
    UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK));
    if (!fd) cannot_read(path, file, errno);
    // The descriptor's own type, not the path's: the path may change between
    // a look and the open.
    struct stat st {};
    if (::fstat(fd.get(), &st) != 0) cannot_read(path, file, errno);
    if (!S_ISREG(st.st_mode))
        throw InvalidInput(file.command + ": " + file.option + " " + quote(path) + " is " +
                           file_type_name(st.st_mode) + ", not " + file.kind +
                           "; give the path of " + file.example);
    std::string text;
    char piece[64 * 1024];
    // Up to one byte past the limit: a file that grows while it is read is
    // still refused.
    while (text.size() <= file.max_bytes) {
        ssize_t n = ::read(fd.get(), piece, sizeof piece);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) cannot_read(path, file, errno);
        if (n == 0) break;
        text.append(piece, static_cast<std::size_t>(n));
    }
    if (text.size() > file.max_bytes)
        throw InvalidInput(file.command + ": " + file.option + " " + quote(path) +
                           " is larger than " + size_text(file.max_bytes) + ", the most " +
                           file.kind + " may hold (" + file.max_bytes_note +
                           "); check that it is the file you meant");
    return text;
}

}  // namespace natlab
