#include "edge/system/process.hpp"

#include <sys/stat.h>

#include <cctype>
#include <fstream>
#include <set>
#include <sstream>

#include "edge/system/fd.hpp"

namespace natlab {

std::optional<ProcessRecord> process_record(pid_t pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
    std::string text;
    if (!std::getline(in, text)) return std::nullopt;
    // The command name (field 2) may hold spaces and ')': fields after it
    // start after the last ')'. State is field 3, start time field 22.
    auto close = text.rfind(')');
    if (close == std::string::npos) return std::nullopt;
    std::istringstream fields(text.substr(close + 2));
    std::string field, state;
    fields >> state;
    for (int i = 4; i < 22 && fields >> field; ++i) {
    }
    unsigned long long start_time = 0;
    if (!(fields >> start_time) || state == "Z" || state == "X") return std::nullopt;
    return ProcessRecord{pid, start_time};
}

bool is_running(const ProcessRecord& process) {
    if (process.pid <= 0) return false;
    auto now = process_record(process.pid);
    return now && now->start_time == process.start_time;
}

namespace {

std::optional<std::pair<dev_t, ino_t>> identity(const std::string& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) return std::nullopt;
    return std::make_pair(st.st_dev, st.st_ino);
}

}  // namespace

std::vector<std::string> process_cmdline(pid_t pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/cmdline");
    std::vector<std::string> argv;
    for (std::string arg; std::getline(in, arg, '\0');) argv.push_back(arg);
    return argv;
}

std::string process_program(pid_t pid) {
    auto argv = process_cmdline(pid);
    if (argv.empty()) return "";
    auto slash = argv[0].rfind('/');
    return slash == std::string::npos ? argv[0] : argv[0].substr(slash + 1);
}

bool in_namespace(pid_t pid, const std::string& kind, const std::string& ns_path) {
    auto mine = identity("/proc/" + std::to_string(pid) + "/ns/" + kind);
    return mine && mine == identity(ns_path);
}

std::vector<pid_t> processes_in_namespaces(const std::string& kind,
                                           const std::vector<std::string>& ns_paths) {
    std::vector<pid_t> out;
    std::set<std::pair<dev_t, ino_t>> wanted;
    for (const auto& path : ns_paths)
        if (auto id = identity(path)) wanted.insert(*id);
    if (wanted.empty()) return out;
    for (const auto& name : directory_entries("/proc")) {
        if (!std::isdigit(static_cast<unsigned char>(name[0]))) continue;
        auto id = identity("/proc/" + name + "/ns/" + kind);
        if (id && wanted.count(*id)) out.push_back(static_cast<pid_t>(std::stol(name)));
    }
    return out;
}

}  // namespace natlab
