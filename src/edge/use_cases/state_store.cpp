#include "edge/use_cases/state_store.hpp"
#include "edge/system/text_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <filesystem>

#include "edge/system/error.hpp"
#include "edge/system/fd.hpp"

namespace natlab {

StateJournal::StateJournal(const std::string& lab, const std::string& source,
                           const std::string& topology_text) {
    if (::mkdir(kStateRoot, 0755) != 0 && errno != EEXIST)
        throw_errno("creating " + std::string(kStateRoot), errno);
    std::string dir = lab_dir(lab);
    if (::mkdir(dir.c_str(), 0755) != 0) {
        if (errno == EEXIST) throw KernelError("lab " + lab + " already exists (" + dir + ")");
        throw_errno("creating " + dir, errno);
    }
    write_text_file(dir + "/topology.yaml", topology_text);
    fd_ =
        UniqueFd(::open((dir + "/state").c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644));
    if (!fd_) throw_errno("creating " + dir + "/state", errno);
    append(state_header(lab, source));
}

void StateJournal::append(const std::string& record) {
    write_all(fd_.get(), record, "writing lab state");
}

void StateJournal::record_namespaces(const std::vector<std::string>& namespaces) {
    std::string records;
    for (const auto& netns : namespaces) records += state_netns_record(netns);
    append(records);
}

void StateJournal::record_container(const ContainerRecord& container) {
    append(state_container_record(container));
}

void StateJournal::record_leader(const std::string& node, const ProcessRecord& leader) {
    append(state_leader_record(node, leader));
}

void StateJournal::mark_complete() {
    append(state_complete_record());
}

void append_state_record(const std::string& lab, const std::string& record) {
    std::string path = lab_dir(lab) + "/state";
    UniqueFd fd(::open(path.c_str(), O_WRONLY | O_APPEND | O_CLOEXEC));
    if (!fd) throw_errno("opening " + path, errno);
    write_all(fd.get(), record, "writing lab state");
}

std::optional<LabState> load_state(const std::string& lab) {
    std::string text = read_text_file(lab_dir(lab) + "/state");
    if (text.empty()) return std::nullopt;
    return parse_state(text, lab);
}

std::string load_topology_copy(const std::string& lab) {
    return read_text_file(lab_dir(lab) + "/topology.yaml");
}

void remove_state(const std::string& lab) {
    std::string dir = lab_dir(lab);
    std::error_code ec;
    for (const std::string& files : {container_logs_dir(lab), port_mapping_dir(lab), dhcp_dir(lab),
                                     lab_etc_dir(lab), dns_dir(lab), nat64_dir(lab), ra_dir(lab)}) {
        std::filesystem::remove_all(files, ec);
        if (ec) throw_errno("removing " + files, ec.value());
    }
    // Overlay mount points: empty on the host (the overlay lives only in its
    // container's mount namespace), so rmdir, never a recursive remove.
    for (const auto& name : directory_entries(containers_dir(lab))) {
        std::string path = container_dir(lab, name);
        if (::rmdir(path.c_str()) != 0 && errno != ENOENT) throw_errno("removing " + path, errno);
    }
    if (::rmdir(containers_dir(lab).c_str()) != 0 && errno != ENOENT)
        throw_errno("removing " + containers_dir(lab), errno);
    for (const char* file : {"/state", "/topology.yaml", "/notify", "/lab.json"}) {
        if (::unlink((dir + file).c_str()) != 0 && errno != ENOENT)
            throw_errno("removing " + dir + file, errno);
    }
    if (::rmdir(dir.c_str()) != 0 && errno != ENOENT) throw_errno("removing " + dir, errno);
}

std::vector<std::string> labs_with_state() {
    std::vector<std::string> labs;
    for (const auto& name : directory_entries(kStateRoot)) {
        struct stat st {};
        if (::stat((lab_dir(name)).c_str(), &st) == 0 && S_ISDIR(st.st_mode)) labs.push_back(name);
    }
    std::sort(labs.begin(), labs.end());
    return labs;
}

}  // namespace natlab
