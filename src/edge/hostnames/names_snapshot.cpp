#include "edge/hostnames/names_snapshot.hpp"

#include <unistd.h>

#include "core/names/netns_etc.hpp"
#include "core/names/netns_name.hpp"
#include "core/names/paths.hpp"
#include "edge/hostnames/node_files.hpp"
#include "edge/system/root.hpp"

namespace natlab {

NamesSnapshot names_snapshot(const std::string& lab, const std::string& node) {
    NamesSnapshot snap;
    std::string dir = node_files_dir(lab, node);
    snap.files = ::access((dir + "/hosts").c_str(), R_OK) == 0 &&
                 ::access((dir + "/resolv.conf").c_str(), R_OK) == 0;
    // A lab without root has its link only where its sandbox could cover
    // the host's /etc/netns; there is nothing to expect of it.
    if (in_user_namespace()) return snap;
    char target[4096];
    ssize_t n = ::readlink(netns_etc_path(netns_name(lab, node)).c_str(), target, sizeof target);
    snap.netns_etc = n > 0 && std::string(target, static_cast<std::size_t>(n)) ==
                                  (dir == lab_etc_dir(lab) ? netns_etc_target(lab)
                                                           : netns_etc_target(lab, node));
    return snap;
}

}  // namespace natlab
