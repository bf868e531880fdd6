#include "edge/kernel/sysctl.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

#include "edge/kernel/error.hpp"
#include "edge/kernel/fd.hpp"

namespace natlab {
namespace {

std::string proc_path(std::string key) {
    std::replace(key.begin(), key.end(), '.', '/');
    return "/proc/sys/" + key;
}

}  // namespace

void write_sysctl(const std::string& key, const std::string& value, const std::string& what) {
    UniqueFd fd(::open(proc_path(key).c_str(), O_WRONLY | O_CLOEXEC));
    if (!fd) {
        if (errno == ENOENT)
            throw KernelError(what + ": no such sysctl (check the name against /proc/sys)");
        throw_errno(what, errno);
    }
    if (::write(fd.get(), value.data(), value.size()) != static_cast<ssize_t>(value.size()))
        throw_errno(what, errno);
}

}  // namespace natlab
