#include "edge/system/fd.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>

#include "edge/system/error.hpp"

namespace natlab {

void UniqueFd::reset(int fd) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = fd;
}

namespace {

using DirHandle = std::unique_ptr<DIR, int (*)(DIR*)>;

std::vector<std::string> read_names(DIR* dir) {
    DirHandle owned(dir, ::closedir);
    std::vector<std::string> names;
    if (!owned) return names;
    while (auto* entry = ::readdir(owned.get())) {
        std::string name = entry->d_name;
        if (name != "." && name != "..") names.push_back(std::move(name));
    }
    return names;
}

}  // namespace

std::vector<std::string> directory_entries(const std::string& path) {
    return read_names(::opendir(path.c_str()));
}

std::vector<std::string> directory_entries(int dirfd) {
    // fdopendir takes the fd over; give it a duplicate so the caller's stays open.
    int copy = ::fcntl(dirfd, F_DUPFD_CLOEXEC, 0);
    if (copy < 0) return {};
    ::lseek(copy, 0, SEEK_SET);
    DIR* dir = ::fdopendir(copy);
    if (!dir) ::close(copy);
    return read_names(dir);
}

void raise_open_file_limit() {
    rlimit limit{};
    if (::getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur >= limit.rlim_max) return;
    limit.rlim_cur = limit.rlim_max;
    ::setrlimit(RLIMIT_NOFILE, &limit);
}

std::size_t open_file_limit() {
    rlimit limit{};
    if (::getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur == RLIM_INFINITY) return 1024;
    return static_cast<std::size_t>(limit.rlim_cur);
}

void throw_errno(const std::string& doing, int err) {
    std::string reason = doing + ": " + std::strerror(err);
    if (err == EMFILE)
        reason += " (this process may open " + std::to_string(open_file_limit()) +
                  " files, 'ulimit -n'; raise it, e.g. ulimit -n 4096)";
    else if (err == ENFILE)
        reason +=
            " (the whole system's limit, sysctl fs.file-max, is reached; raise it or close "
            "programs)";
    throw KernelError(reason);
}

}  // namespace natlab
