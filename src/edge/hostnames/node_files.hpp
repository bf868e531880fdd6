#pragma once
// A lab's names on disk: its hosts file and resolv.conf (core/hostnames),
// written once into /run/natlab/<lab>/etc/, which every node lays over its
// /etc. They go with the lab's state directory (remove_state).
#include "core/topology/lab.hpp"

namespace natlab {

// Throws KernelError naming the file that could not be written.
void write_node_files(const Lab& lab);

}  // namespace natlab
