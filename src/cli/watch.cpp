// natlab watch: a node's conntrack events as they happen, with what each
// means for the NAT in plain words.
#include <CLI/CLI.hpp>
#include <chrono>
#include <iostream>

#include "cli/commands.hpp"
#include "core/util/clock_time.hpp"
#include "edge/system/interrupt_flag.hpp"
#include "edge/system/root.hpp"
#include "edge/use_cases/flow_watch.hpp"

namespace natlab {
namespace {

struct WatchOptions {
    std::string lab, node;
    bool json = false;
    int count = 0;         // 0: until Ctrl-C
    std::string protocol;  // "": every protocol
};

void print_event(const ConntrackFlow& flow, const AddressBook& names, bool json) {
    if (json) {
        auto j = flow_json(flow, names);
        j["time"] = clock_time_now();
        std::cout << j.dump() << std::endl;
        return;
    }
    std::cout << clock_time_now() << " " << raw_line(flow) << "  | " << meaning(flow, names)
              << std::endl;
}

// Refused flows are no conntrack event (they never got an entry): the NAT's
// `refused` counter, read about once a second, says when new ones came.
class RefusalWatch {
  public:
    explicit RefusalWatch(const FlowWatch& watch) : watch_(watch) {
        if (auto usage = watch_.port_usage()) {
            counting_ = true;
            last_ = usage->refused;
        }
    }

    void poll(bool json) {
        if (!counting_ || std::chrono::steady_clock::now() < next_) return;
        next_ = std::chrono::steady_clock::now() + std::chrono::seconds(1);
        auto usage = watch_.port_usage();
        if (!usage || usage->refused <= last_) return;
        long fresh = usage->refused - last_;
        last_ = usage->refused;
        if (json) {
            nlohmann::json j = {{"time", clock_time_now()},
                                {"event", "REFUSED"},
                                {"refused", fresh},
                                {"ports", port_usage_json(*usage)}};
            std::cout << j.dump() << std::endl;
            return;
        }
        std::cout << clock_time_now() << " [REFUSED] " << fresh << " new flow"
                  << (fresh == 1 ? "" : "s") << " dropped  | " << describe_port_usage(*usage)
                  << std::flush;  // the description ends its line
    }

  private:
    const FlowWatch& watch_;
    bool counting_ = false;  // false: nothing to count on this node
    long last_ = 0;
    std::chrono::steady_clock::time_point next_;
};

void run_watch(const WatchOptions& opt) {
    require_root("watch");
    FlowWatch watch(opt.lab, opt.node);
    InterruptFlag interrupt;
    std::cerr << "watching the conntrack table of " << opt.node << " (namespace " << watch.netns()
              << "); Ctrl-C ends\n";
    RefusalWatch refusals(watch);
    int seen = 0;
    while (!interrupt.flag()->load() && (opt.count == 0 || seen < opt.count)) {
        bool complete = watch.read(200, [&](const ConntrackFlow& flow) {
            if (opt.count && seen >= opt.count) return;
            if (!opt.protocol.empty() && flow.protocol != opt.protocol) return;
            print_event(flow, watch.names(), opt.json);
            ++seen;
        });
        if (!complete)
            std::cerr << "natlab watch: some events were lost (they came faster than they "
                         "were read)\n";
        refusals.poll(opt.json);
    }
}

}  // namespace

void register_watch(CLI::App& app) {
    auto opt = std::make_shared<WatchOptions>();
    auto* cmd = app.add_subcommand(
        "watch", "Show a node's conntrack events live, each with what it means (root)");
    cmd->add_option("lab", opt->lab, "Lab name")->required();
    cmd->add_option("node", opt->node, "Node whose conntrack table to watch (usually a NAT)")
        ->required();
    cmd->add_flag("--json", opt->json, "One JSON object per event (one per line)");
    cmd->add_option("--protocol", opt->protocol, "Only flows of this protocol (udp, tcp, icmp...)")
        ->type_name("P");
    cmd->add_option("--count", opt->count, "Stop after this many events")
        ->check(CLI::Range(1, 1000000));
    cmd->footer(
        "Each line: the time, the event (NEW, UPDATE, DESTROY), the protocol, the original and\n"
        "reply tuples, the timeout and flags (UNREPLIED, ASSURED), then '|' and what it means,\n"
        "e.g. 'c0 10.0.1.2:41807 is now mapped to 100.64.1.100:41807 for 100.64.2.100:54321;\n"
        "no reply yet; forgotten in 30 s'. On a NAT node, a [REFUSED] line (event \"REFUSED\"\n"
        "in JSON) says when new flows were dropped rather than given a port another inside\n"
        "endpoint holds, with how much of the port range is held ('exhausted' when all of it).\n"
        "Ctrl-C ends it.\n"
        "Example:\n"
        "  natlab watch two-nat nat0\n"
        "  natlab watch two-nat nat0 --protocol udp --json --count 2 | jq .meaning");
    cmd->callback([opt] { run_watch(*opt); });
}

}  // namespace natlab
