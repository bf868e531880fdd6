#include "kernel/fd.hpp"

#include <unistd.h>

#include <cstring>

#include "kernel/error.hpp"

namespace natlab {

void UniqueFd::reset(int fd) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = fd;
}

void throw_errno(const std::string& doing, int err) {
    throw KernelError(doing + ": " + std::strerror(err));
}

}  // namespace natlab
