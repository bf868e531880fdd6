#include "kernel/fd.hpp"

#include <sys/resource.h>
#include <unistd.h>

#include <cstring>

#include "kernel/error.hpp"

namespace natlab {

void UniqueFd::reset(int fd) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = fd;
}

void raise_open_file_limit() {
    rlimit limit{};
    if (::getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
        limit.rlim_cur = limit.rlim_max;
        ::setrlimit(RLIMIT_NOFILE, &limit);
    }
}

void throw_errno(const std::string& doing, int err) {
    throw KernelError(doing + ": " + std::strerror(err));
}

}  // namespace natlab
