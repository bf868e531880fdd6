#include "edge/hostnames/node_files.hpp"

#include <sys/stat.h>

#include <cerrno>

#include "core/hostnames/hosts_file.hpp"
#include "core/hostnames/resolv_conf.hpp"
#include "core/names/paths.hpp"
#include "edge/system/error.hpp"
#include "edge/system/text_file.hpp"

namespace natlab {

void write_node_files(const Lab& lab) {
    std::string dir = lab_etc_dir(lab.name);
    if (::mkdir(dir.c_str(), 0755) != 0 && errno != EEXIST) throw_errno("creating " + dir, errno);
    write_text_file(lab_hosts_path(lab.name), hosts_file(lab));
    write_text_file(lab_resolv_conf_path(lab.name), resolv_conf(lab));
}

}  // namespace natlab
