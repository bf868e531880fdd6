#include <CLI/CLI.hpp>
#include <iostream>

#include "cli/common.hpp"
#include "cli/probe_format.hpp"
#include "edge/lab/live_lab.hpp"
#include "edge/lab/lock.hpp"

namespace natlab {
namespace {

using nlohmann::json;

struct VerifyOptions {
    std::string lab, server;
    int timeout_ms = 500;
    bool json = false;
};

const char* kProperties[] = {"mapping", "filtering", "hairpinning", "port_preservation"};

// One NAT node: declared behaviour, measured behaviour, and where they differ.
json verify_nat(const std::string& lab_name, const Lab& lab, const LabNode& nat,
                const VerifyOptions& opt) {
    const NatBehaviour& b = nat.nat->behaviour;
    json j = {{"nat", nat.name},
              {"type", b.type ? json(name_of(*b.type)) : json(nullptr)},
              {"declared", behaviour_json(b.mf, b.hairpinning, b.port_preservation)}};
    auto not_measured = [&](const std::string& why) {
        j["match"] = false;
        j["error"] = why;
        return j;
    };
    auto host = host_behind(lab, nat.name);
    if (!host) {
        return not_measured("no host has its default route to " + nat.name +
                            ", so nothing can probe it; link a host behind it");
    }
    ProbeTarget target;
    try {
        target = probe_target(lab, *host, opt.server);
    } catch (const InvalidInput& e) {
        // One NAT that cannot be probed must not hide the others' results.
        std::string why = e.what();
        if (why.rfind("natlab: ", 0) == 0) why.erase(0, 8);
        return not_measured(why);
    }
    ProbeReport report = run_probe(lab_name, target, std::chrono::milliseconds(opt.timeout_ms));
    const auto& m = report.measured;
    j["host"] = *host;
    j["measured"] = behaviour_json(m.mf, m.hairpinning, m.port_preservation);
    json mismatches = json::array();
    for (const char* p : kProperties)
        if (j["declared"][p] != j["measured"][p]) mismatches.push_back(p);
    j["mismatches"] = mismatches;
    j["match"] = mismatches.empty();
    return j;
}

std::string shown(const json& value) {
    if (value.is_boolean()) return yes_no(value.get<bool>());
    return value.get<std::string>();
}

void print_text(const json& result) {
    int nat_width = 4, host_width = 5;
    for (const auto& n : result["nats"]) {
        nat_width = std::max(nat_width, static_cast<int>(n["nat"].get<std::string>().size()) + 2);
        if (n.contains("host"))
            host_width =
                std::max(host_width, static_cast<int>(n["host"].get<std::string>().size()) + 2);
    }
    std::cout << std::left << std::setw(nat_width) << "NAT" << std::setw(host_width) << "HOST"
              << std::setw(19) << "PROPERTY" << std::setw(28) << "DECLARED" << std::setw(28)
              << "MEASURED"
              << "\n";
    for (const auto& n : result["nats"]) {
        std::string nat = n["nat"].get<std::string>();
        if (n.contains("error")) {
            std::cout << std::setw(nat_width) << nat
                      << "NOT MEASURED: " << n["error"].get<std::string>() << "\n";
            continue;
        }
        std::string host = n["host"].get<std::string>();
        for (const char* p : kProperties) {
            bool ok = n["declared"][p] == n["measured"][p];
            std::string property = p;
            std::replace(property.begin(), property.end(), '_', ' ');
            std::cout << std::setw(nat_width) << nat << std::setw(host_width) << host
                      << std::setw(19) << property << std::setw(28) << shown(n["declared"][p])
                      << std::setw(28) << shown(n["measured"][p]) << (ok ? "ok" : "MISMATCH")
                      << "\n";
            nat = host = "";
        }
    }
    std::size_t total = result["nats"].size(), good = 0;
    for (const auto& n : result["nats"]) good += n["match"].get<bool>() ? 1 : 0;
    std::cout << good << " of " << total << " NAT nodes behave as declared\n";
}

void run_verify(const VerifyOptions& opt) {
    require_root("verify");
    LoadedLab loaded = load_live_lab(opt.lab);
    LabLock lock(opt.lab);
    json result = {{"lab", opt.lab}, {"nats", json::array()}};
    bool all = true;
    for (const auto& node : loaded.lab.nodes) {
        if (node.kind != NodeKind::nat) continue;
        result["nats"].push_back(verify_nat(opt.lab, loaded.lab, node, opt));
        all = all && result["nats"].back()["match"].get<bool>();
    }
    result["all_match"] = all;
    if (opt.json)
        std::cout << result.dump(2) << "\n";
    else
        print_text(result);
    if (!all) throw ExitRequest{kExitMismatch};
}

}  // namespace

void register_verify(CLI::App& app) {
    auto opt = std::make_shared<VerifyOptions>();
    auto* cmd = app.add_subcommand(
        "verify", "Probe every NAT node and compare with what the topology declares (root)");
    cmd->add_option("lab", opt->lab, "Lab name")->required();
    add_probe_options(*cmd, opt->server, opt->timeout_ms, opt->json);
    cmd->footer(
        "Each NAT is probed from the first host whose default route leads to it (see 'natlab\n"
        "probe --help'). Exit code 0 when every NAT matches, 3 when one does not or cannot be\n"
        "measured.\n"
        "Example:\n"
        "  natlab create labs/nat-types.yaml && natlab verify nat-types");
    cmd->callback([opt] { run_verify(*opt); });
}

}  // namespace natlab
