#pragma once
// The topology as a diagram: nodes by kind, each NAT node's behaviour, the
// interfaces and addresses at both ends of every link. Pure text renderers.
#include <string>

#include "core/topology/lab.hpp"

namespace natlab {

std::string render_dot(const Lab& lab);      // Graphviz
std::string render_mermaid(const Lab& lab);  // Mermaid flowchart (GitHub renders it in Markdown)

}  // namespace natlab
