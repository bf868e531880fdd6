// natlab set: change what one end of a live link sends.
#include <CLI/CLI.hpp>
#include <iostream>

#include "cli/commands.hpp"
#include "core/condition/describe_condition.hpp"
#include "core/util/invalid_input.hpp"
#include "edge/kernel/root.hpp"
#include "edge/lab/change_link.hpp"

namespace natlab {
namespace {

struct SetOptions {
    std::string lab, end;
    std::vector<std::string> settings;
    bool clear = false;
};

ConditionSettings parse_settings(const std::vector<std::string>& words) {
    ConditionSettings out;
    for (const auto& w : words) {
        auto eq = w.find('=');
        if (eq == std::string::npos || eq == 0)
            throw InvalidInput(
                "natlab: '" + w +
                "' is not KEY=VALUE; write e.g. delay=50ms loss=2% (none removes a key)");
        out.emplace_back(w.substr(0, eq), w.substr(eq + 1));
    }
    return out;
}

void run_set(const SetOptions& opt) {
    require_root("set");
    if (opt.settings.empty() && !opt.clear)
        throw InvalidInput("natlab: nothing to set; give KEY=VALUE settings or --clear");
    LinkCondition now =
        set_link_condition(opt.lab, opt.end, parse_settings(opt.settings), opt.clear);
    std::string words = describe_condition(now);
    std::cout << opt.end << " sends with " << (words.empty() ? "no conditions" : words) << "\n";
}

}  // namespace

void register_set(CLI::App& app) {
    auto opt = std::make_shared<SetOptions>();
    auto* cmd = app.add_subcommand(
        "set", "Change what one end of a live link sends: delay, loss, rate... (root)");
    cmd->add_option("lab", opt->lab, "Lab name")->required();
    cmd->add_option("end", opt->end, "The sending end, NODE:IFACE")->required();
    cmd->add_option("settings", opt->settings,
                    "KEY=VALUE, as on a link: delay=50ms loss=2% rate=1mbit; none removes a key");
    cmd->add_flag("--clear", opt->clear, "Start from no conditions (alone: remove them all)");
    cmd->footer(
        "Keys as on a link in the topology: delay, jitter, loss, rate, reorder, duplicate, "
        "corrupt,\n"
        "limit. Each is laid over what the end sends now; the queues are replaced at once and the\n"
        "change is journalled, so status judges against it. The other direction is the other "
        "end's.\n"
        "Examples:\n"
        "  natlab set two-nat nat0:wan delay=50ms loss=2%\n"
        "  natlab set two-nat nat0:wan loss=none\n"
        "  natlab set two-nat nat0:wan --clear");
    cmd->callback([opt] { run_set(*opt); });
}

}  // namespace natlab
