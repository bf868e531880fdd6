#include <CLI/CLI.hpp>
#include <iostream>

#include "cli/commands.hpp"
#include "cli/probe_options.hpp"
#include "core/probe/probe_report.hpp"
#include "core/probe/verdict.hpp"
#include "edge/kernel/root.hpp"
#include "edge/probe/verify_lab.hpp"

namespace natlab {
namespace {

using nlohmann::json;

struct VerifyOptions {
    std::string lab, server;
    int timeout_ms = 500;
    bool json = false;
};

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
        for (const auto& p : verified_properties()) {
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
    json result = verify_lab(opt.lab, opt.server, std::chrono::milliseconds(opt.timeout_ms));
    if (opt.json)
        std::cout << result.dump(2) << "\n";
    else
        print_text(result);
    if (!result["all_match"].get<bool>()) throw ExitRequest{kExitMismatch};
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
