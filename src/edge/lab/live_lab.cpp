#include "edge/lab/live_lab.hpp"

#include <stdexcept>

#include "core/lab/live_changes.hpp"
#include "edge/lab/state_store.hpp"

namespace natlab {

LoadedLab load_live_lab(const std::string& lab) {
    check_lab_name(lab);
    auto state = load_state(lab);
    if (!state) throw std::runtime_error("no lab named " + lab + " (see 'natlab list')");
    if (!state->complete) {
        throw std::runtime_error("lab " + lab +
                                 " was never completely created (crashed or still running); run "
                                 "'natlab clean " +
                                 lab + "' and create it again");
    }
    return load_changed_lab(load_topology_copy(lab), state->source, lab, state->changes);
}

}  // namespace natlab
