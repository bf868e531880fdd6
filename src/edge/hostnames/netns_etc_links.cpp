#include "edge/hostnames/netns_etc_links.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <fstream>
#include <set>
#include <sstream>

#include "core/names/netns_etc.hpp"
#include "core/names/netns_name.hpp"
#include "edge/system/error.hpp"
#include "edge/system/fd.hpp"

namespace natlab {
namespace {

// The target of the symbolic link at `path`; nullopt when it is none.
std::optional<std::string> link_target(const std::string& path) {
    char buffer[4096];
    ssize_t n = ::readlink(path.c_str(), buffer, sizeof buffer);
    if (n < 0 || n == static_cast<ssize_t>(sizeof buffer)) return std::nullopt;
    return std::string(buffer, static_cast<std::size_t>(n));
}

// The lab and node of the entry `name` of /etc/netns when natlab made it.
std::optional<LabMarker> owner_of(const std::string& name) {
    auto target = link_target(netns_etc_path(name));
    if (!target) return std::nullopt;
    return netns_etc_owner(name, *target);
}

// When this boot began, in the seconds of file times.
long boot_time() {
    std::ifstream stat("/proc/stat");
    for (std::string line; std::getline(stat, line);) {
        std::istringstream words(line);
        std::string key;
        long value = 0;
        if (words >> key >> value && key == "btime") return value;
    }
    return 0;
}

bool made_before_this_boot(const std::string& path, long booted) {
    struct stat st {};
    return ::lstat(path.c_str(), &st) == 0 && st.st_ctim.tv_sec < booted;
}

bool target_exists(const std::string& path) {
    struct stat st {};
    return ::stat(path.c_str(), &st) == 0;
}

bool not_allowed(int err) {
    return err == EACCES || err == EPERM || err == EROFS;
}

}  // namespace

std::string netns_etc_taken(const std::string& lab, const std::string& node) {
    std::string netns = netns_name(lab, node), path = netns_etc_path(netns);
    struct stat st {};
    if (::lstat(path.c_str(), &st) != 0) return "";
    auto owner = owner_of(netns);
    // This lab's own link from before a reboot is a leftover to take over.
    // One made since may be the link of a lab of this name that lives in
    // another mount namespace's /run: taking it would be taking that lab's.
    if (owner && owner->lab == lab && made_before_this_boot(path, boot_time())) return "";
    std::string why = !owner ? "natlab did not make it; remove it"
                      : owner->lab == lab
                          ? "it is lab " + lab +
                                "'s own, left by a lab whose state is gone or made in another "
                                "mount namespace's /run; remove it with 'natlab clean " +
                                lab + "'"
                          : "it is node " + owner->node + " of lab " + owner->lab +
                                "; remove that lab with 'natlab clean " + owner->lab + "'";
    return path + " already exists, and 'ip netns exec " + netns +
           "' would lay its files over /etc: " + why + ", or give the lab another name with --name";
}

// Every node's link is the same: one symbolic link, and a hard link to it for
// each other node. A new inode costs up to a millisecond on an ext4 without a
// journal, which searches past every inode freed in the last minutes (a
// clean's) before it takes one; a hard link takes no inode.
void link_netns_etc(const Lab& lab, bool where_possible) {
    if (::mkdir(kNetnsEtcDir, 0755) != 0 && errno != EEXIST) {
        if (where_possible && not_allowed(errno)) return;
        throw_errno("creating " + std::string(kNetnsEtcDir), errno);
    }
    // With a DNS server each node's link has a target of its own (a lab of a
    // few nodes: the inodes cost nothing worth sharing).
    std::string target = netns_etc_target(lab.name);
    std::string first;  // a link made (or found) already, to link the others to
    for (const auto& node : lab.nodes) {
        std::string path = netns_etc_path(netns_name(lab.name, node.name));
        if (lab.dns) target = netns_etc_target(lab.name, node.name), first.clear();
        bool made = !first.empty() && ::link(first.c_str(), path.c_str()) == 0;
        if (!made) made = ::symlink(target.c_str(), path.c_str()) == 0;
        int err = errno;
        // One a killed natlab left points where it must.
        if (!made && err == EEXIST && link_target(path) == target) made = true;
        if (!made && where_possible && not_allowed(err)) return;
        if (!made) throw_errno("linking " + path + " to " + target, err);
        if (first.empty()) first = path;
    }
}

std::vector<std::string> unlink_netns_etc(const std::string& lab) {
    std::vector<std::string> removed;
    for (const auto& name : directory_entries(kNetnsEtcDir)) {
        if (name.rfind(lab + "-", 0) != 0) continue;
        auto owner = owner_of(name);
        if (!owner || owner->lab != lab) continue;
        std::string path = netns_etc_path(name);
        if (::unlink(path.c_str()) != 0 && errno != ENOENT) throw_errno("removing " + path, errno);
        removed.push_back(path);
    }
    return removed;
}

std::vector<std::string> labs_of_stale_netns_etc() {
    std::set<std::string> labs;
    long booted = boot_time();
    for (const auto& name : directory_entries(kNetnsEtcDir)) {
        auto owner = owner_of(name);
        std::string path = netns_etc_path(name);
        if (owner && !target_exists(path) && made_before_this_boot(path, booted))
            labs.insert(owner->lab);
    }
    return {labs.begin(), labs.end()};
}

}  // namespace natlab
