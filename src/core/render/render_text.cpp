#include "core/render/render.hpp"

namespace natlab {

std::string render_text(const Plan& plan) {
    std::string out = "lab " + plan.lab + ": " + std::to_string(plan.namespaces().size()) +
                      " namespaces, " + std::to_string(plan.steps.size()) + " steps\n";
    for (const auto& step : plan.steps) {
        out += "  " + describe(step) + "\n";
        if (auto* rules = std::get_if<ApplyRuleset>(&step)) {
            std::string text = rules->text;
            for (std::size_t start = 0; start < text.size();) {
                auto end = text.find('\n', start);
                out += "      " + text.substr(start, end - start) + "\n";
                start = end == std::string::npos ? text.size() : end + 1;
            }
        }
    }
    return out;
}

}  // namespace natlab
