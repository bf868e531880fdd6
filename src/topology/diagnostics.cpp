#include "topology/diagnostics.hpp"

#include <algorithm>

namespace natlab {

void Diagnostics::error(SourcePos pos, std::string message) {
    items_.push_back({pos, std::move(message)});
}

std::string Diagnostics::render() const {
    auto sorted = items_;
    std::stable_sort(sorted.begin(), sorted.end(),
                     [](const Diagnostic& a, const Diagnostic& b) { return a.pos < b.pos; });
    std::string out;
    for (const auto& d : sorted) {
        out += file_ + ":" + std::to_string(d.pos.line) + ":" + std::to_string(d.pos.column) +
               ": " + d.message + "\n";
    }
    return out;
}

}  // namespace natlab
