#include "edge/use_cases/list_labs.hpp"

#include "edge/use_cases/clean.hpp"
#include "edge/use_cases/state_store.hpp"

namespace natlab {

std::vector<LabSummary> list_labs() {
    std::vector<LabSummary> out;
    for (const auto& lab : find_labs()) {
        auto state = load_state(lab);
        if (!state) {
            out.push_back({lab, "leftover", 0, ""});
            continue;
        }
        out.push_back({lab, state->complete ? "ready" : "incomplete", state->namespaces.size(),
                       state->source});
    }
    return out;
}

}  // namespace natlab
