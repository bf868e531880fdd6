#include "lab/state_format.hpp"

#include <sstream>

namespace natlab {

std::string state_header(const std::string& lab, const std::string& source) {
    return "natlab-state 1\nlab " + lab + "\nsource " + source + "\n";
}

std::string state_netns_record(const std::string& netns) {
    return "netns " + netns + "\n";
}

std::string state_complete_record() {
    return "complete\n";
}

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
        else if (key == "complete")
            state.complete = true;
    }
    if (state.lab.empty()) return std::nullopt;
    return state;
}

}  // namespace natlab
