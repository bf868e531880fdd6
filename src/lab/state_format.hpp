#pragma once
// The lab state file: an append-only journal, one record per line, written as
// each object is about to exist, so a crash leaves a usable record.
//
//   natlab-state 1
//   lab two-nat
//   source /home/me/labs/two-nat.yaml
//   netns two-nat-c0
//   ...
//   complete
#include <optional>
#include <string>
#include <vector>

namespace natlab {

struct LabState {
    std::string lab;
    std::string source;
    std::vector<std::string> namespaces;
    bool complete = false;  // create finished; otherwise it is running or crashed
};

std::string state_header(const std::string& lab, const std::string& source);
std::string state_netns_record(const std::string& netns);
std::string state_complete_record();
// nullopt when the text is not a natlab state file; a torn last line is ignored.
std::optional<LabState> parse_state(const std::string& text);

}  // namespace natlab
