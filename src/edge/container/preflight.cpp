#include "edge/container/preflight.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "core/util/text.hpp"
#include "edge/system/exec_argv.hpp"

namespace natlab {

namespace {

bool exists(const std::string& path) {
    struct stat st {};
    return ::stat(path.c_str(), &st) == 0;
}

bool is_directory(const std::string& path) {
    struct stat st {};
    return ::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

bool kernel_has_overlayfs() {
    std::ifstream in("/proc/filesystems");
    for (std::string line; std::getline(in, line);)
        if (line.ends_with("\toverlay")) return true;
    // Not loaded yet: the kernel loads the module on the first mount.
    return exists("/sys/module/overlay") || ::access("/sbin/modprobe", X_OK) == 0;
}

const char* const kBuildHint = "; prepare one with 'natlab image build DIR'";

void check_tree(const LabContainer& c, Diagnostics& diag) {
    const std::string& root = c.root;
    if (!is_directory(root)) {
        diag.error(c.root_pos, "container root " + quote(root) +
                                   (exists(root) ? " is not a directory" : " does not exist") +
                                   kBuildHint + ", or use 'root: host'");
        return;
    }
    // What systemd-nspawn itself looks for in an OS tree.
    if (!exists(root + "/usr/lib/os-release") && !exists(root + "/etc/os-release")) {
        diag.error(c.root_pos, "container root " + quote(root) +
                                   " is not an OS tree (it has no /usr/lib/os-release or "
                                   "/etc/os-release)" +
                                   kBuildHint);
        return;
    }
    if (c.boot && !exists(root + "/usr/lib/systemd/systemd") &&
        !exists(root + "/lib/systemd/systemd")) {
        diag.error(c.root_pos, "container root " + quote(root) +
                                   " has no systemd to boot; install the 'systemd' package in it "
                                   "or drop 'boot: true'");
    }
}

}  // namespace

void check_container_prerequisites(const LoadedLab& loaded) {
    Diagnostics diag(loaded.path);
    bool any = false, overlay_needed = false;
    for (const auto& node : loaded.lab.nodes) {
        if (!node.container) continue;
        const LabContainer& c = *node.container;
        any = true;
        if (c.host_root())
            overlay_needed = true;
        else
            check_tree(c, diag);
        for (std::size_t i = 0; i < c.binds.size(); ++i) {
            if (!exists(c.binds[i].source))
                diag.error(c.bind_pos[i], "bind mount source " + quote(c.binds[i].source) +
                                              " does not exist on this machine; create it or "
                                              "fix the path");
        }
    }
    if (any && find_program("systemd-nspawn").empty()) {
        diag.error({},
                   "containers need systemd-nspawn, which is not installed; install it with "
                   "'apt-get install systemd-container'");
    }
    if (overlay_needed && !kernel_has_overlayfs()) {
        diag.error({},
                   "containers on the host tree need the kernel's overlay file system; load it "
                   "with 'modprobe overlay'");
    }
    throw_if_problems(diag, loaded.path);
}

}  // namespace natlab
