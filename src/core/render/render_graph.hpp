#pragma once
// The topology as a diagram: nodes by kind, each NAT node's behaviour, the
// interfaces, addresses and link conditions at both ends of every link, a
// NAT's inside and outside in colours of their own, and a legend that says
// what the short words mean. Pure text renderers.
#include <string>

#include "core/topology/lab.hpp"

namespace natlab {

// Graphviz. Every interface is a row of its node's table, so no label floats
// beside an edge where it could overlap another.
std::string render_dot(const Lab& lab);
// Mermaid flowchart (GitHub renders it in Markdown).
std::string render_mermaid(const Lab& lab);

}  // namespace natlab
