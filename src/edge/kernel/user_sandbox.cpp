#include "edge/kernel/user_sandbox.hpp"

#include <fcntl.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstring>
#include <fstream>
#include <stdexcept>
#include <string>

#include "edge/kernel/netlink.hpp"
#include "edge/system/fd.hpp"

namespace natlab {
namespace {

std::string read_sysctl(const char* path) {
    std::ifstream in(path);
    std::string value;
    in >> value;
    return value;
}

// The setting that keeps unprivileged user namespaces off here, if one does.
std::string disabling_setting() {
    struct Setting {
        const char *path, *name, *off, *fix;
    };
    static const Setting settings[] = {
        {"/proc/sys/kernel/unprivileged_userns_clone", "kernel.unprivileged_userns_clone", "0",
         "sysctl -w kernel.unprivileged_userns_clone=1"},
        {"/proc/sys/user/max_user_namespaces", "user.max_user_namespaces", "0",
         "sysctl -w user.max_user_namespaces=15000"},
        {"/proc/sys/kernel/apparmor_restrict_unprivileged_userns",
         "kernel.apparmor_restrict_unprivileged_userns", "1",
         "sysctl -w kernel.apparmor_restrict_unprivileged_userns=0, or an AppArmor profile that "
         "allows 'userns' for natlab"},
    };
    for (const auto& s : settings) {
        if (read_sysctl(s.path) == s.off)
            return std::string("this machine disables unprivileged user namespaces (") + s.name +
                   " = " + s.off + "); run natlab as root (e.g. sudo), or allow them: " + s.fix;
    }
    return "run natlab as root (e.g. sudo), or check that this machine allows unprivileged user "
           "namespaces (sysctls kernel.unprivileged_userns_clone, user.max_user_namespaces, "
           "kernel.apparmor_restrict_unprivileged_userns)";
}

[[noreturn]] void sandbox_failed(const std::string& doing, int err) {
    throw std::runtime_error(
        "without root, natlab run builds the lab in an unprivileged user "
        "namespace, but " +
        doing + " failed (" + std::strerror(err) + "): " + disabling_setting());
}

void write_file(const std::string& path, const std::string& text) {
    UniqueFd fd(::open(path.c_str(), O_WRONLY | O_CLOEXEC));
    if (!fd || ::write(fd.get(), text.data(), text.size()) != static_cast<ssize_t>(text.size()))
        sandbox_failed("writing " + path, errno);
}

// Root inside is the caller outside: files it makes belong to the caller.
void map_caller_to_root(uid_t uid, gid_t gid) {
    write_file("/proc/self/setgroups", "deny");
    write_file("/proc/self/uid_map", "0 " + std::to_string(uid) + " 1");
    write_file("/proc/self/gid_map", "0 " + std::to_string(gid) + " 1");
}

// Puts the host's /run entry `name` back on the new /run: the command run in
// the sandbox still finds resolv.conf's target, /run/user and the like.
// Best effort: they are the command's conveniences, not the lab's.
void bind_back(int old_run, const std::string& name) {
    struct stat st {};
    if (::fstatat(old_run, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) return;
    std::string target = "/run/" + name;
    std::string source = "/proc/self/fd/" + std::to_string(old_run) + "/" + name;
    if (S_ISLNK(st.st_mode)) {
        char link[4096];
        ssize_t n = ::readlinkat(old_run, name.c_str(), link, sizeof link - 1);
        if (n > 0)
            ::symlink(std::string(link, static_cast<std::size_t>(n)).c_str(), target.c_str());
        return;
    }
    if (S_ISDIR(st.st_mode)) {
        if (::mkdir(target.c_str(), 0755) != 0) return;
    } else {
        UniqueFd placeholder(::open(target.c_str(), O_CREAT | O_WRONLY | O_CLOEXEC, 0644));
        if (!placeholder) return;
    }
    ::mount(source.c_str(), target.c_str(), nullptr, MS_BIND | MS_REC, nullptr);
}

// A /run of the sandbox's own, so /run/netns and /run/natlab hold only this
// sandbox's lab (and need no write access to the host's /run).
void replace_run() {
    UniqueFd old_run(::open("/run", O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (!old_run) sandbox_failed("opening /run", errno);
    if (::mount("", "/", nullptr, MS_SLAVE | MS_REC, nullptr) != 0)
        sandbox_failed("making the mounts private", errno);
    if (::mount("natlab", "/run", "tmpfs", MS_NOSUID | MS_NODEV, "mode=0755") != 0)
        sandbox_failed("mounting a tmpfs on /run", errno);
    for (const auto& name : directory_entries(old_run.get()))
        if (name != "netns" && name != "natlab") bind_back(old_run.get(), name);
}

// A directory of the sandbox's own over /etc/netns, where the host has one:
// the lab's links for 'ip netns exec' go there, out of the host's sight.
// Best effort: without it the lab's names still reach natlab exec.
void replace_netns_etc() {
    struct stat st {};
    if (::stat("/etc/netns", &st) != 0 || !S_ISDIR(st.st_mode)) return;
    ::mount("natlab", "/etc/netns", "tmpfs", MS_NOSUID | MS_NODEV, "mode=0755");
}

}  // namespace

void enter_user_sandbox() {
    uid_t uid = ::geteuid();
    gid_t gid = ::getegid();
    if (::unshare(CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWNET) != 0)
        sandbox_failed("creating the user namespace", errno);
    map_caller_to_root(uid, gid);
    replace_run();
    replace_netns_etc();
    // The command runs in the sandbox's own network namespace: give it a loopback.
    RouteSocket().set_up("lo", "", "bringing up lo in the sandbox");
}

}  // namespace natlab
