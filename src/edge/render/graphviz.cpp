#include "edge/render/graphviz.hpp"

#include <iostream>
#include <stdexcept>
#include <vector>

#include "edge/system/exec_argv.hpp"

namespace natlab {

// The DOT text goes to dot on its stdin.
void render_with_graphviz(const std::string& dot, const std::string& format,
                          const std::string& output) {
    if (find_program("dot").empty()) {
        throw std::runtime_error("--format " + format +
                                 " needs Graphviz's dot: install it (apt-get install graphviz), "
                                 "or print --format dot or mermaid");
    }
    std::vector<std::string> argv{"dot", "-T" + format};
    if (!output.empty()) argv.insert(argv.end(), {"-o", output});
    std::cout.flush();
    if (run_program(argv, "natlab graph", &dot) != 0)
        throw std::runtime_error("dot -T" + format + " failed (its message is above)");
}

}  // namespace natlab
