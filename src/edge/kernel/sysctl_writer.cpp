#include "edge/kernel/sysctl_writer.hpp"

#include <fcntl.h>
#include <sys/mount.h>

#include "edge/kernel/netns.hpp"
#include "edge/kernel/sysctl.hpp"
#include "edge/system/fd.hpp"

namespace natlab {
namespace {

// A procfs instance has its own directory entries, so a fresh one starts
// with no "net" entries to compare.
constexpr int kNamespacesPerProcfs = 32;

// The root of a new procfs instance, attached to no mount namespace; it goes
// with its last descriptor. Empty when it cannot be made.
UniqueFd detached_procfs() {
    UniqueFd context(::fsopen("proc", FSOPEN_CLOEXEC));
    if (!context || ::fsconfig(context.get(), FSCONFIG_CMD_CREATE, nullptr, nullptr, 0) != 0)
        return {};
    return UniqueFd(::fsmount(context.get(), FSMOUNT_CLOEXEC,
                              MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC));
}

// One calling thread's procfs. The machine's /proc serves a small lab: a
// procfs of its own is worth making only once there are namespaces enough
// to compare.
class ThreadProcfs {
  public:
    // The procfs root to write `netns_fd`'s sysctls through (AT_FDCWD: the
    // machine's /proc).
    int root_for(int netns_fd) {
        if (netns_fd != last_netns_ && ++namespaces_ > kNamespacesPerProcfs) {
            namespaces_ = 1;
            // One that could not be made is not tried again for every namespace.
            if (own_ || !tried_) own_ = detached_procfs();
            tried_ = true;
        }
        last_netns_ = netns_fd;
        return own_ ? own_.get() : AT_FDCWD;
    }

  private:
    UniqueFd own_;
    bool tried_ = false;
    int namespaces_ = 0, last_netns_ = -1;
};

thread_local ThreadProcfs procfs;

}  // namespace

void write_netns_sysctl(int netns_fd, const std::string& netns, const std::string& key,
                        const std::string& value, const std::string& what) {
    int root = procfs.root_for(netns_fd);
    NetnsGuard guard(netns_fd, netns);
    write_sysctl_at(root, key, value, what);
}

}  // namespace natlab
