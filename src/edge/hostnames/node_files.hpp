#pragma once
// A lab's names on disk: its hosts file and resolv.conf (core/hostnames),
// written into /run/natlab/<lab>/etc/, which every node lays over its /etc;
// in a lab with a DNS server each node's into etc/<node>/ (its resolv.conf
// names the server's addresses it reaches). They go with the lab's state
// directory (remove_state).
#include "core/topology/lab.hpp"

namespace natlab {

// Throws KernelError naming the file that could not be written.
void write_node_files(const Lab& lab);

// The directory whose files go over /etc on `node`: the node's own where the
// lab has one for it, else the lab's.
std::string node_files_dir(const std::string& lab, const std::string& node);

}  // namespace natlab
