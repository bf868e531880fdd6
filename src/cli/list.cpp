#include <CLI/CLI.hpp>
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "edge/system/root.hpp"
#include "edge/use_cases/list_labs.hpp"

namespace natlab {
namespace {

void run_list(bool as_json) {
    require_root("list");
    nlohmann::json labs = nlohmann::json::array();
    for (const auto& l : list_labs()) {
        labs.push_back({{"lab", l.lab},
                        {"source", l.source},
                        {"namespaces", l.namespaces},
                        {"state", l.state}});
    }
    if (as_json) {
        std::cout << labs.dump(2) << "\n";
        return;
    }
    if (labs.empty()) std::cout << "no natlab labs on this machine\n";
    for (const auto& l : labs) {
        std::string lab = l["lab"], condition = l["state"];
        // Leftovers have no state to count from: say what to do instead.
        if (condition == "leftover")
            condition = "no state (leftovers: run natlab clean " + lab + ")";
        std::cout << std::left << std::setw(24) << lab << std::setw(12) << condition << std::setw(5)
                  << l["namespaces"].get<std::size_t>() << " " << l["source"].get<std::string>()
                  << "\n";
    }
}

}  // namespace

void register_list(CLI::App& app) {
    auto json = std::make_shared<bool>(false);
    auto* cmd = app.add_subcommand("list", "List the labs on this machine (root)");
    cmd->add_flag("--json", *json, "Print JSON");
    cmd->footer("Example:\n  natlab list");
    cmd->callback([json] { run_list(*json); });
}

}  // namespace natlab
