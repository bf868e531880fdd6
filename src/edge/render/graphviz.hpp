#pragma once
// Pictures of a topology through Graphviz's dot, for graph --format svg|png.
#include <string>

namespace natlab {

// Runs 'dot -T<format>' on the DOT text, writing to `output` (stdout when
// empty); throws naming the fix when Graphviz is missing or dot fails.
void render_with_graphviz(const std::string& dot, const std::string& format,
                          const std::string& output);

}  // namespace natlab
