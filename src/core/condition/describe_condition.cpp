#include "core/condition/describe_condition.hpp"

#include <utility>
#include <vector>

#include "core/condition/units.hpp"

namespace natlab {
namespace {

std::vector<std::pair<std::string, std::string>> settings(const LinkCondition& c) {
    std::vector<std::pair<std::string, std::string>> out;
    if (c.delay_us) out.emplace_back("delay", format_duration(*c.delay_us));
    if (c.jitter_us) out.emplace_back("jitter", format_duration(*c.jitter_us));
    if (c.loss) out.emplace_back("loss", format_percent(*c.loss));
    if (c.reorder) out.emplace_back("reorder", format_percent(*c.reorder));
    if (c.duplicate) out.emplace_back("duplicate", format_percent(*c.duplicate));
    if (c.corrupt) out.emplace_back("corrupt", format_percent(*c.corrupt));
    if (c.rate_bps) out.emplace_back("rate", format_rate(*c.rate_bps));
    if (c.limit) out.emplace_back("limit", std::to_string(*c.limit));
    return out;
}

}  // namespace

std::string describe_condition(const LinkCondition& c) {
    std::string text;
    for (const auto& [key, value] : settings(c))
        text += (text.empty() ? "" : " ") + key + " " + value;
    return text;
}

nlohmann::json condition_json(const LinkCondition& c) {
    nlohmann::json out = nlohmann::json::object();
    for (const auto& [key, value] : settings(c)) out[key] = value;
    return out;
}

}  // namespace natlab
