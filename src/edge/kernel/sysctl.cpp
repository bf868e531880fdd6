#include "edge/kernel/sysctl.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

#include "core/topology/sysctl_interface.hpp"
#include "edge/kernel/netns.hpp"
#include "edge/system/error.hpp"
#include "edge/system/fd.hpp"

namespace natlab {
namespace {

// "net.ipv4.ip_forward" -> "sys/net/ipv4/ip_forward", under a procfs root.
std::string path_in_procfs(std::string key) {
    std::replace(key.begin(), key.end(), '.', '/');
    return "sys/" + key;
}

std::string proc_path(const std::string& key) {
    return "/proc/" + path_in_procfs(key);
}

// "net.ipv4.conf.eth0.rp_filter" -> "net.ipv4.conf.default.rp_filter" when
// eth0 is one of `interfaces`.
std::string as_in_new_namespace(const std::string& key,
                                const std::vector<std::string>& interfaces) {
    std::string ifname = sysctl_interface(key);
    bool of_interface = std::find(interfaces.begin(), interfaces.end(), ifname) != interfaces.end();
    return of_interface ? sysctl_on_interface(key, "default") : key;
}

}  // namespace

std::vector<std::string> missing_sysctls(const std::vector<std::string>& keys,
                                         const std::vector<std::string>& interfaces) {
    std::vector<std::string> missing;
    // /proc/sys/net shows the namespace of the thread that looks.
    in_scratch_netns([&] {
        for (const auto& key : keys)
            if (::access(proc_path(as_in_new_namespace(key, interfaces)).c_str(), F_OK) != 0)
                missing.push_back(key);
    });
    return missing;
}

void write_sysctl(const std::string& key, const std::string& value, const std::string& what) {
    write_sysctl_at(AT_FDCWD, key, value, what);
}

void write_sysctl_at(int proc_root, const std::string& key, const std::string& value,
                     const std::string& what) {
    std::string path = proc_root == AT_FDCWD ? proc_path(key) : path_in_procfs(key);
    UniqueFd fd(::openat(proc_root, path.c_str(), O_WRONLY | O_CLOEXEC));
    if (!fd) {
        if (errno == ENOENT)
            throw KernelError(what + ": no such sysctl (check the name against /proc/sys)");
        throw_errno(what, errno);
    }
    if (::write(fd.get(), value.data(), value.size()) != static_cast<ssize_t>(value.size()))
        throw_errno(what, errno);
}

}  // namespace natlab
