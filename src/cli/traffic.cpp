// natlab traffic: did two peers talk directly, or through a relay? From the
// flows every NAT of the lab counts.
#include <CLI/CLI.hpp>
#include <chrono>
#include <iostream>
#include <thread>

#include "cli/commands.hpp"
#include "edge/system/interrupt_flag.hpp"
#include "edge/system/root.hpp"
#include "edge/use_cases/traffic_reader.hpp"

namespace natlab {
namespace {

struct TrafficOptions {
    std::string lab;
    bool json = false;
    double watch = 0;  // seconds between reports; 0: one report
};

void print_report(const TrafficOptions& opt) {
    TrafficReport report = read_traffic(opt.lab);
    if (opt.json) {
        nlohmann::json j = traffic_json(report);
        j["lab"] = opt.lab;
        std::cout << j.dump(opt.watch > 0 ? -1 : 2) << std::endl;
        return;
    }
    std::cout << render_traffic(report) << std::flush;
}

void run_traffic(const TrafficOptions& opt) {
    require_root("traffic");
    if (opt.watch <= 0) return print_report(opt);
    InterruptFlag interrupt;
    auto period = std::chrono::milliseconds(static_cast<long>(opt.watch * 1000));
    while (!interrupt.flag()->load()) {
        print_report(opt);
        if (!opt.json) std::cout << "\n";
        for (auto end = std::chrono::steady_clock::now() + period;
             !interrupt.flag()->load() && std::chrono::steady_clock::now() < end;)
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
}

}  // namespace

void register_traffic(CLI::App& app) {
    auto opt = std::make_shared<TrafficOptions>();
    auto* cmd = app.add_subcommand(
        "traffic", "Who talked with whom across the NATs: directly or through a relay (root)");
    cmd->add_option("lab", opt->lab, "Lab name")->required();
    cmd->add_flag("--json", opt->json, "Print JSON (with --watch: one object per line)");
    cmd->add_option("--watch", opt->watch, "Print a report every SECONDS until Ctrl-C")
        ->type_name("SECONDS")
        ->check(CLI::Range(0.1, 3600.0));
    cmd->footer(
        "For every pair of hosts behind the lab's NATs: the packets and bytes they sent each\n"
        "other directly (between their NATs' public endpoints, as hole punching makes it) and\n"
        "those that went through a third node both talked with (a rendezvous or relay), then\n"
        "every flow the NATs track. Read from each NAT's conntrack table, which counts every\n"
        "flow (natlab turns flow accounting on): a flow idle for its timeout is forgotten, so\n"
        "ask while the flows live or soon after (inside 'natlab run', at the command's end).\n"
        "Examples:\n"
        "  natlab traffic p2p\n"
        "  natlab traffic p2p --json | jq '.pairs[] | {a, b, verdict}'\n"
        "  natlab traffic p2p --watch 1");
    cmd->callback([opt] { run_traffic(*opt); });
}

}  // namespace natlab
