#pragma once
// natlab list: every lab on this machine and what state it is in.
#include <string>
#include <vector>

namespace natlab {

struct LabSummary {
    std::string lab;
    std::string state;  // "ready", "incomplete" (a create crashed or runs) or "leftover" (no state)
    std::size_t namespaces = 0;  // as its state records them
    std::string source;          // the topology file it was made from
};

std::vector<LabSummary> list_labs();

}  // namespace natlab
