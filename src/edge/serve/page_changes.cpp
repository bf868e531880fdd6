#include "edge/serve/page_changes.hpp"

#include "core/conntrack/mapping_table.hpp"
#include "core/util/invalid_input.hpp"
#include "core/util/text.hpp"
#include "edge/punch/punch_pair.hpp"
#include "edge/use_cases/change_link.hpp"
#include "edge/use_cases/change_nat.hpp"
#include "edge/use_cases/live_lab.hpp"

namespace natlab {
namespace {

std::string field(const nlohmann::json& change, const char* name) {
    auto it = change.find(name);
    if (it == change.end() || !it->is_string() || it->get<std::string>().empty())
        throw InvalidInput("the change needs '" + std::string(name) + "' (a string)");
    return it->get<std::string>();
}

}  // namespace

std::string apply_page_change(const std::string& lab, const nlohmann::json& change) {
    const std::string action = field(change, "action");
    if (action == "link") {
        const std::string end = field(change, "end"), state = field(change, "state");
        if (state != "down" && state != "up")
            throw InvalidInput("a link's state is 'down' or 'up', not " + quote(state));
        set_link_up(lab, end, state == "up");
        return end + " is " + state;
    }
    if (action == "set") {
        const std::string nat = field(change, "nat");
        NatSettings settings;
        auto it = change.find("settings");
        if (it == change.end() || !it->is_object() || it->empty())
            throw InvalidInput("'set' needs 'settings', e.g. {\"type\": \"symmetric\"}");
        for (const auto& [key, value] : it->items()) {
            if (!value.is_string())
                throw InvalidInput("setting " + quote(key) + " is not a string");
            settings.emplace_back(key, value.get<std::string>());
        }
        NatNow now = set_nat(lab, nat, settings, Bindings::keep);
        return nat + " is " + behaviour_words(now.behaviour);
    }
    if (action == "rebind") {
        const std::string nat = field(change, "nat");
        auto moved = rebind_nat(lab, nat, "");
        return std::to_string(moved.size()) + " mapping" + (moved.size() == 1 ? "" : "s") + " of " +
               nat + " rebound";
    }
    if (action == "flush") {
        const std::string nat = field(change, "nat");
        std::size_t flows = flush_nat(lab, nat);
        return nat + " flushed: " + std::to_string(flows) + " flow" + (flows == 1 ? "" : "s") +
               " forgotten";
    }
    if (action == "punch") {
        const std::string a = field(change, "a"), b = field(change, "b");
        LoadedLab loaded = load_live_lab(lab);
        PunchRun run = punch_hosts(loaded.lab, a, b);
        return render_punch(run.outcome, run.nat_a, run.nat_b, run.report);
    }
    throw InvalidInput("no change " + quote(action) +
                       "; a page may ask for link, set, rebind, flush or punch");
}

}  // namespace natlab
