#include "kernel/sysctl.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

#include "kernel/error.hpp"
#include "kernel/fd.hpp"

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

std::string read_sysctl(const std::string& key) {
    UniqueFd fd(::open(proc_path(key).c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd) throw_errno("reading sysctl " + key, errno);
    char buf[256];
    ssize_t n = ::read(fd.get(), buf, sizeof buf);
    if (n < 0) throw_errno("reading sysctl " + key, errno);
    std::string out(buf, static_cast<std::size_t>(n));
    while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
    return out;
}

}  // namespace natlab
