#include "core/input/diagnostics.hpp"

#include <algorithm>

namespace natlab {

void Diagnostics::error(SourcePos pos, std::string message) {
    // A lab-wide default is checked once per node that inherits it: say it once.
    if (!told_.emplace(pos, message).second) return;
    items_.push_back({pos, std::move(message)});
}

std::string Diagnostics::render() const {
    auto sorted = items_;
    std::stable_sort(sorted.begin(), sorted.end(),
                     [](const Diagnostic& a, const Diagnostic& b) { return a.pos < b.pos; });
    std::string out;
    if (sorted.size() > kMostShown) sorted.resize(kMostShown);
    for (const auto& d : sorted) {
        // Position 0: a problem of the machine, not of a line in the file.
        std::string where = d.pos.line == 0 ? file_
                                            : file_ + ":" + std::to_string(d.pos.line) + ":" +
                                                  std::to_string(d.pos.column);
        out += where + ": " + d.message + "\n";
    }
    if (items_.size() > kMostShown)
        out += file_ + ": ... and " + std::to_string(items_.size() - kMostShown) +
               " more problems; these are the first " + std::to_string(kMostShown) + "\n";
    return out;
}

}  // namespace natlab
