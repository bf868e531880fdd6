#include "edge/hostnames/node_files.hpp"

#include <sys/stat.h>

#include <cerrno>

#include "core/hostnames/hosts_file.hpp"
#include "core/hostnames/resolv_conf.hpp"
#include "core/names/paths.hpp"
#include "edge/system/error.hpp"
#include "edge/system/text_file.hpp"

namespace natlab {
namespace {

void make_dir(const std::string& dir) {
    if (::mkdir(dir.c_str(), 0755) != 0 && errno != EEXIST) throw_errno("creating " + dir, errno);
}

}  // namespace

void write_node_files(const Lab& lab) {
    make_dir(lab_etc_dir(lab.name));
    std::string hosts = hosts_file(lab);
    if (!lab.dns) {
        write_text_file(lab_hosts_path(lab.name), hosts);
        write_text_file(lab_resolv_conf_path(lab.name), resolv_conf(lab));
        return;
    }
    for (const auto& node : lab.nodes) {
        std::string dir = node_etc_dir(lab.name, node.name);
        make_dir(dir);
        write_text_file(dir + "/hosts", hosts);
        write_text_file(dir + "/resolv.conf", resolv_conf(lab, node));
    }
}

std::string node_files_dir(const std::string& lab, const std::string& node) {
    std::string own = node_etc_dir(lab, node);
    struct stat st {};
    if (::stat(own.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) return own;
    return lab_etc_dir(lab);
}

}  // namespace natlab
