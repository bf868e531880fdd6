#include "core/input/diagnostics.hpp"

#include <algorithm>

namespace natlab {

void Diagnostics::error(SourcePos pos, std::string message) {
    // A lab-wide default is checked once per node that inherits it: say it once.
    for (const auto& d : items_)
        if (d.pos == pos && d.message == message) return;
    items_.push_back({pos, std::move(message)});
}

std::string Diagnostics::render() const {
    auto sorted = items_;
    std::stable_sort(sorted.begin(), sorted.end(),
                     [](const Diagnostic& a, const Diagnostic& b) { return a.pos < b.pos; });
    std::string out;
    for (const auto& d : sorted) {
        // Position 0: a problem of the machine, not of a line in the file.
        std::string where = d.pos.line == 0 ? file_
                                            : file_ + ":" + std::to_string(d.pos.line) + ":" +
                                                  std::to_string(d.pos.column);
        out += where + ": " + d.message + "\n";
    }
    return out;
}

}  // namespace natlab
