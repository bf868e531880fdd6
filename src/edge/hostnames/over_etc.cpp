#include "edge/hostnames/over_etc.hpp"

#include <sys/mount.h>

#include <cerrno>
#include <cstring>
#include <iostream>

#include "edge/hostnames/node_files.hpp"
#include "edge/system/fd.hpp"

namespace natlab {

void lay_node_files_over_etc(const std::string& lab, const std::string& node) {
    std::string dir = node_files_dir(lab, node);
    for (const auto& name : directory_entries(dir)) {
        std::string source = dir + "/" + name, target = "/etc/" + name;
        if (::mount(source.c_str(), target.c_str(), nullptr, MS_BIND, nullptr) == 0) continue;
        // /etc/resolv.conf may be a link to a file that is not there (a
        // resolver's that is not running): the command then finds no
        // resolv.conf, and glibc asks 127.0.0.1, as the lab's would.
        if (errno == ENOENT) continue;
        std::cerr << "natlab: " << target << " of node " << node
                  << " was not laid over the host's (" << std::strerror(errno)
                  << "); the lab's names may not resolve\n";
    }
}

}  // namespace natlab
