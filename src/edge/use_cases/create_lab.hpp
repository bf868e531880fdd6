#pragma once
// Creating a lab on this machine: the lock, room for it, the journal, the
// kernel executor and the container runtime, the plan applied all or
// nothing, and its description file. Used by create, run and matrix.
#include "core/lifecycle/lab_description.hpp"
#include "core/lifecycle/loaded_lab.hpp"

namespace natlab {

struct CreateRequest {
    bool replace = false;   // remove a lab of the same name first
    bool rootless = false;  // the lab is built in natlab run's user namespace
};

// Builds the lab, all or nothing (rolled back on failure or SIGINT/SIGTERM/
// SIGHUP), with its description file; returns the milliseconds it took.
double create_lab(const LoadedLab& loaded, const CreateRequest& request);

// What the description file and NATLAB_* variables say of where things are.
DescriptionContext description_context(const LoadedLab& loaded, bool rootless);

}  // namespace natlab
