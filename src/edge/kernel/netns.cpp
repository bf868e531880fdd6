#include "edge/kernel/netns.hpp"

#include <fcntl.h>
#include <linux/magic.h>
#include <sched.h>
#include <sys/file.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <utility>

#include "edge/system/error.hpp"
#include "edge/system/fd.hpp"

namespace natlab {

std::string netns_path(const std::string& name) {
    return std::string(kNetnsDir) + "/" + name;
}

namespace {

void return_to(int netns_fd) {
    // Staying would leave every later operation of this thread acting on the
    // wrong network.
    if (::setns(netns_fd, CLONE_NEWNET) != 0) std::abort();
}

// Takes the calling thread back to its namespace at the end of a scope, also
// when the scope is left by an exception.
class ReturnTo {
  public:
    explicit ReturnTo(int netns_fd) : fd_(netns_fd) {}
    ~ReturnTo() { return_to(fd_); }
    ReturnTo(const ReturnTo&) = delete;
    ReturnTo& operator=(const ReturnTo&) = delete;

  private:
    int fd_;
};

UniqueFd current_netns() {
    UniqueFd fd(::open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC));
    if (!fd) throw_errno("opening this thread's network namespace", errno);
    return fd;
}

void prepare_netns_dir() {
    static std::once_flag once;
    std::call_once(once, share_netns_dir);
}

}  // namespace

// Two processes that both find /run/netns not yet a mount point would each
// bind it onto itself, stacking mounts (Debian bug 949235), so the check and
// the bind happen under an flock on the directory, as iproute2 takes it.
void share_netns_dir() {
    if (::mkdir(kNetnsDir, 0755) != 0 && errno != EEXIST) throw_errno("creating /run/netns", errno);
    UniqueFd dir(::open(kNetnsDir, O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (!dir) throw_errno("opening /run/netns", errno);
    while (::flock(dir.get(), LOCK_EX) != 0)
        if (errno != EINTR) throw_errno("locking /run/netns", errno);
    bool bound = false;
    while (::mount("", kNetnsDir, "none", MS_SHARED | MS_REC, nullptr) != 0) {
        if (errno != EINVAL || bound) throw_errno("making /run/netns a shared mount", errno);
        if (::mount(kNetnsDir, kNetnsDir, "none", MS_BIND | MS_REC, nullptr) != 0)
            throw_errno("bind-mounting /run/netns onto itself", errno);
        bound = true;
    }
}  // closing `dir` releases the lock

NetnsGuard::NetnsGuard(int netns_fd, const std::string& netns_name) : original_(current_netns()) {
    if (::setns(netns_fd, CLONE_NEWNET) != 0)
        throw_errno("entering namespace " + netns_name, errno);
}

NetnsGuard::~NetnsGuard() {
    return_to(original_.get());
}

namespace {

// The empty file a namespace is bound to, removed again unless the bind was
// made: whatever fails in between (a descriptor refused under a small
// 'ulimit -n', the marker, the bind) leaves no file behind.
class Placeholder {
  public:
    explicit Placeholder(std::string path) : path_(std::move(path)) {}
    ~Placeholder() {
        if (!bound_) ::unlink(path_.c_str());
    }
    Placeholder(const Placeholder&) = delete;
    Placeholder& operator=(const Placeholder&) = delete;
    void bound() { bound_ = true; }

  private:
    std::string path_;
    bool bound_ = false;
};

}  // namespace

UniqueFd create_netns(const std::string& name, const std::function<void()>& inside) {
    prepare_netns_dir();
    std::string path = netns_path(name);
    UniqueFd file(::open(path.c_str(), O_RDONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0));
    if (!file) {
        if (errno == EEXIST)
            throw KernelError("creating namespace " + name + ": " + path + " already exists");
        throw_errno("creating " + path, errno);
    }
    file.reset();
    Placeholder placeholder(path);
    UniqueFd original = current_netns();
    if (::unshare(CLONE_NEWNET) != 0) throw_errno("creating namespace " + name, errno);
    ReturnTo back(original.get());
    UniqueFd created = current_netns();
    // `inside` (which marks the namespace as natlab's) runs before the bind:
    // a namespace that is ever seen under /run/netns is marked, and one whose
    // setup fails or is killed midway dies unbound with its last reference.
    if (inside) inside();
    if (::mount("/proc/thread-self/ns/net", path.c_str(), "none", MS_BIND, nullptr) != 0)
        throw_errno("binding namespace " + name + " to " + path, errno);
    placeholder.bound();
    return created;
}

void delete_netns(const std::string& name) {
    std::string path = netns_path(name);
    if (::umount2(path.c_str(), MNT_DETACH) != 0 && errno != EINVAL && errno != ENOENT) {
        throw_errno("unmounting " + path, errno);
    }
    if (::unlink(path.c_str()) != 0 && errno != ENOENT) throw_errno("removing " + path, errno);
}

UniqueFd open_netns(const std::string& name) {
    return UniqueFd(::open(netns_path(name).c_str(), O_RDONLY | O_CLOEXEC));
}

bool netns_exists(const std::string& name) {
    struct stat st {};
    return ::stat(netns_path(name).c_str(), &st) == 0;
}

bool netns_placeholder(const std::string& name) {
    struct stat st {};
    struct statfs fs {};
    std::string path = netns_path(name);
    return ::lstat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode) && st.st_size == 0 &&
           ::statfs(path.c_str(), &fs) == 0 && fs.f_type != NSFS_MAGIC;
}

std::vector<std::string> list_netns() {
    std::vector<std::string> names = directory_entries(kNetnsDir);
    std::sort(names.begin(), names.end());
    return names;
}

void in_scratch_netns(const std::function<void()>& fn) {
    std::exception_ptr failure;
    std::thread([&] {
        try {
            if (::unshare(CLONE_NEWNET) != 0)
                throw_errno("making a scratch network namespace", errno);
            fn();
        } catch (...) {
            failure = std::current_exception();
        }
    }).join();
    if (failure) std::rethrow_exception(failure);
}

}  // namespace natlab
