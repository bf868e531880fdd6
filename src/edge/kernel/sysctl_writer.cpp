#include "edge/kernel/sysctl_writer.hpp"

#include <sched.h>
#include <sys/mount.h>

#include <utility>

#include "core/util/threads.hpp"
#include "edge/kernel/error.hpp"
#include "edge/kernel/sysctl.hpp"

namespace natlab {
namespace {

// A procfs instance has its own directory entries, so a fresh one starts
// with no "net" entries to compare.
constexpr int kNamespacesPerProcfs = 32;

// Puts the calling thread in a mount namespace of its own with a procfs of
// its own on /proc. The copy follows the machine's mounts (a slave) but
// sends nothing back, so the machine never sees this /proc. False when it
// cannot: the thread goes on with the machine's /proc.
bool own_procfs() {
    return ::unshare(CLONE_FS | CLONE_NEWNS) == 0 &&
           ::mount(nullptr, "/", nullptr, MS_REC | MS_SLAVE, nullptr) == 0 &&
           ::mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, nullptr) == 0;
}

// Swaps this thread's procfs for a fresh one; false leaves the machine's.
bool fresh_procfs() {
    return ::umount2("/proc", MNT_DETACH) == 0 &&
           ::mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, nullptr) == 0;
}

}  // namespace

SysctlWriter::~SysctlWriter() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    changed_.notify_all();
}  // thread_ joins

void SysctlWriter::write(int netns_fd, const std::string& key, const std::string& value,
                         const std::string& what) {
    std::lock_guard call(calls_);
    std::unique_lock lock(mutex_);
    if (!thread_.joinable()) thread_ = start_helper([this] { serve(); });
    request_.emplace(Request{netns_fd, key, value, what});
    done_ = false;
    changed_.notify_all();
    changed_.wait(lock, [&] { return done_; });
    if (auto failure = std::exchange(failure_, nullptr)) std::rethrow_exception(failure);
}

void SysctlWriter::serve() {
    // The machine's /proc serves a small lab: a procfs of its own is worth
    // its mount only once there are namespaces enough to compare.
    bool own = false;
    int namespaces = 0, last_fd = -1;
    std::unique_lock lock(mutex_);
    for (;;) {
        changed_.wait(lock, [&] { return request_ || stopping_; });
        if (stopping_) return;
        const Request& r = *request_;
        try {
            if (r.netns_fd != last_fd && ++namespaces > kNamespacesPerProcfs) {
                own = own ? fresh_procfs() : own_procfs();
                namespaces = 1;
            }
            last_fd = r.netns_fd;
            if (::setns(r.netns_fd, CLONE_NEWNET) != 0) throw_errno(r.what, errno);
            write_sysctl(r.key, r.value, r.what);
        } catch (...) {
            failure_ = std::current_exception();
        }
        request_.reset();
        done_ = true;
        changed_.notify_all();
    }
}

}  // namespace natlab
