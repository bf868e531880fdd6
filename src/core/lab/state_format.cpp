#include "core/lab/state_format.hpp"

#include <sstream>

namespace natlab {

std::string state_header(const std::string& lab, const std::string& source) {
    return "natlab-state 1\nlab " + lab + "\nsource " + source + "\n";
}

std::string state_netns_record(const std::string& netns) {
    return "netns " + netns + "\n";
}

std::string state_container_record(const ContainerRecord& c) {
    return "container " + c.node + " " + c.machine + " " + std::to_string(c.nspawn.pid) + " " +
           std::to_string(c.nspawn.start_time) + (c.boot ? " boot\n" : " run\n");
}

std::string state_leader_record(const std::string& node, const ProcessRecord& leader) {
    return "leader " + node + " " + std::to_string(leader.pid) + " " +
           std::to_string(leader.start_time) + "\n";
}

std::string state_complete_record() {
    return "complete\n";
}

namespace {

void add_container(const std::string& value, LabState& state) {
    std::istringstream in(value);
    ContainerRecord c;
    std::string mode;
    if (in >> c.node >> c.machine >> c.nspawn.pid >> c.nspawn.start_time >> mode) {
        c.boot = mode == "boot";
        state.containers.push_back(c);
    }
}

void add_leader(const std::string& value, LabState& state) {
    std::istringstream in(value);
    std::string node;
    ProcessRecord leader;
    if (!(in >> node >> leader.pid >> leader.start_time)) return;
    for (auto& c : state.containers)
        if (c.node == node) c.leader = leader;
}

}  // namespace

std::optional<LabState> parse_state(const std::string& text) {
    std::istringstream in(text);
    std::string line;
    if (!std::getline(in, line) || line != "natlab-state 1") return std::nullopt;
    LabState state;
    while (std::getline(in, line)) {
        if (in.eof() && text.back() != '\n') break;  // torn by a crash mid-write
        auto space = line.find(' ');
        std::string key = line.substr(0, space);
        std::string value = space == std::string::npos ? "" : line.substr(space + 1);
        if (key == "lab")
            state.lab = value;
        else if (key == "source")
            state.source = value;
        else if (key == "netns" && !value.empty())
            state.namespaces.push_back(value);
        else if (key == "container")
            add_container(value, state);
        else if (key == "leader")
            add_leader(value, state);
        else if (key == "complete")
            state.complete = true;
    }
    if (state.lab.empty()) return std::nullopt;
    return state;
}

}  // namespace natlab
