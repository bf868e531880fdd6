#pragma once
// What containers need from this machine, checked before anything is made.
#include "core/lifecycle/loaded_lab.hpp"

namespace natlab {

// Throws InvalidInput naming every problem (with its position in the file
// and the fix): systemd-nspawn missing, a tree that is missing or not an OS
// tree, a booted tree without systemd, a missing bind source, no overlayfs.
void check_container_prerequisites(const LoadedLab& loaded);

}  // namespace natlab
