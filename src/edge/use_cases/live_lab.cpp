#include "edge/use_cases/live_lab.hpp"

#include <stdexcept>

#include "core/lifecycle/live_changes.hpp"
#include "core/util/invalid_input.hpp"
#include "core/util/text.hpp"
#include "edge/use_cases/state_store.hpp"

namespace natlab {

std::string no_such_lab(const std::string& lab) {
    std::vector<std::string> labs = labs_with_state();
    if (labs.empty())
        return "natlab: no lab named " + quote(lab) +
               ": there is no lab on this machine (make one with 'natlab create FILE')";
    return "natlab: no lab named " + quote(lab) + " on this machine; its labs are " +
           join(labs, ", ") + did_you_mean(lab, labs) + " (see 'natlab list')";
}

LoadedLab load_live_lab(const std::string& lab) {
    check_lab_name(lab);
    auto state = load_state(lab);
    if (!state) throw InvalidInput(no_such_lab(lab));
    return load_live_lab(lab, *state);
}

LoadedLab load_live_lab(const std::string& lab, const LabState& state) {
    if (!state.complete) {
        throw std::runtime_error("lab " + lab +
                                 " was never completely created (crashed or still running); run "
                                 "'natlab clean " +
                                 lab + "' and create it again");
    }
    return load_changed_lab(load_topology_copy(lab), state.source, lab, state.changes);
}

}  // namespace natlab
