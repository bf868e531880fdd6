#include <CLI/CLI.hpp>
#include <iostream>

#include "cli/commands.hpp"
#include "cli/probe_options.hpp"
#include "core/probe/probe_report.hpp"
#include "core/probe/verdict.hpp"
#include "edge/probe/verify_lab.hpp"
#include "edge/system/root.hpp"

namespace natlab {
namespace {

using nlohmann::json;

struct VerifyOptions {
    std::string lab, server;
    std::vector<std::string> nats;
    int timeout_ms = 500;
    bool json = false;
    bool quick = false;
    bool ipv6 = false;
};

std::string shown(const json& value) {
    if (value.is_null()) return "not measured";
    if (value.is_boolean()) return yes_no(value.get<bool>());
    return value.get<std::string>();
}

std::string verdict(const json& declared, const json& measured) {
    if (measured.is_null()) return "-";
    return declared == measured ? "ok" : "MISMATCH";
}

// The properties this NAT has (pooling only with a pool).
std::vector<std::string> shown_properties(const json& nat, bool quick) {
    std::vector<std::string> out;
    for (const auto& p : verified_properties(quick))
        if (nat["declared"].contains(p)) out.push_back(p);
    return out;
}

// Each column as wide as its widest value, and two spaces.
struct Widths {
    int nat = 5, host = 6, value = 10;
};

Widths widths(const json& result, bool quick) {
    Widths w;
    auto widen = [](int& width, const std::string& text) {
        width = std::max(width, static_cast<int>(text.size()) + 2);
    };
    for (const auto& n : result["nats"]) {
        widen(w.nat, n["nat"].get<std::string>());
        if (!n.contains("host")) continue;
        widen(w.host, n["host"].get<std::string>());
        for (const auto& p : shown_properties(n, quick)) {
            widen(w.value, shown(n["declared"][p]));
            widen(w.value, shown(n["measured"][p]));
        }
    }
    return w;
}

void print_text(const json& result, bool quick) {
    Widths w = widths(result, quick);
    const int nat_width = w.nat, host_width = w.host;
    std::cout << std::left << std::setw(nat_width) << "NAT" << std::setw(host_width) << "HOST"
              << std::setw(19) << "PROPERTY" << std::setw(w.value) << "DECLARED"
              << std::setw(w.value) << "MEASURED"
              << "\n";
    for (const auto& n : result["nats"]) {
        std::string nat = n["nat"].get<std::string>();
        if (n.contains("error")) {
            std::cout << std::setw(nat_width) << nat
                      << "NOT MEASURED: " << n["error"].get<std::string>() << "\n";
            continue;
        }
        std::string host = n["host"].get<std::string>();
        for (const auto& p : shown_properties(n, quick)) {
            std::string property = p;
            std::replace(property.begin(), property.end(), '_', ' ');
            std::cout << std::setw(nat_width) << nat << std::setw(host_width) << host
                      << std::setw(19) << property << std::setw(w.value) << shown(n["declared"][p])
                      << std::setw(w.value) << shown(n["measured"][p])
                      << verdict(n["declared"][p], n["measured"][p]) << "\n";
            nat = host = "";
        }
    }
    std::size_t total = result["nats"].size(), good = 0;
    for (const auto& n : result["nats"]) good += n["match"].get<bool>() ? 1 : 0;
    std::cout << good << " of " << total << " NAT nodes behave as declared\n";
}

void run_verify(const VerifyOptions& opt) {
    require_root("verify");
    json result = verify_lab(opt.lab, opt.server, std::chrono::milliseconds(opt.timeout_ms),
                             opt.quick, opt.nats, opt.ipv6 ? Family::ipv6 : Family::ipv4);
    if (opt.json)
        std::cout << result.dump(2) << "\n";
    else
        print_text(result, opt.quick);
    if (!result["all_match"].get<bool>()) throw ExitRequest{kExitMismatch};
}

}  // namespace

void register_verify(CLI::App& app) {
    auto opt = std::make_shared<VerifyOptions>();
    auto* cmd = app.add_subcommand(
        "verify", "Probe every NAT node and compare with what the topology declares (root)");
    cmd->add_option("lab", opt->lab, "Lab name")->required();
    cmd->add_option("nats", opt->nats, "NAT nodes to verify (default: every one)");
    add_probe_options(*cmd, opt->server, opt->timeout_ms, opt->json, opt->ipv6);
    cmd->add_flag("--quick", opt->quick,
                  "The STUN probe alone (mapping, filtering, hairpinning, port preservation)");
    cmd->footer(
        "Each NAT is probed from the first host whose default route leads to it (see 'natlab\n"
        "probe --help'), first with the STUN probe, then with what real software meets:\n"
        "  allocation      the ports of five new mappings in a row: preserve, sequential, random\n"
        "  port ownership  200 endpoints from two inside addresses (the host's and a spare one\n"
        "                  added for the check; at most half the port range): no external\n"
        "                  endpoint may be handed to two of them\n"
        "  race            a peer sends to the host's mapping before the host sends to it: the\n"
        "                  mapping must survive, and the host's later packet and the peer's\n"
        "                  answer must get through\n"
        "  pooling         (a NAT with a pool) whether each inside address's mappings of the\n"
        "                  port ownership check kept to one external address (paired) or not\n"
        "  tcp mapping     RFC 5780's mapping and filtering tests over TCP\n"
        "  tcp filtering\n"
        "  lifetime        bindings answered once, and streams (an exchange every half second\n"
        "                  for 2.5 s), each asked by the server after a silence: still\n"
        "                  reachable a second before its udp-timeout (unreplied, established)\n"
        "                  and gone a second after (waited for when both are 2 to 10 s; else\n"
        "                  'not measured')\n"
        "With --ipv6, each NAT's IPv6 side is verified (the NATs without one are left out), from\n"
        "the first host whose IPv6 default route leads to it, against what its mode declares:\n"
        "  translation     'none' for the firewall and routed modes (the server sees the host's\n"
        "                  own address), 'address' for nat66 and nptv6\n"
        "  firewall        endpoint-independent mapping, every port kept, the declared filtering\n"
        "                  ('firewall: false': endpoint-independent) and udp-timeout as lifetime\n"
        "  routed, nptv6   endpoint-independent mapping and filtering, ports kept, no lifetime\n"
        "  nat66           every property as for IPv4\n"
        "Hairpinning is judged for nat66 alone: without translation an inside host reaches\n"
        "another's address directly.\n"
        "Exit code 0 when every NAT matches, 3 when one does not or cannot be measured.\n"
        "Examples:\n"
        "  natlab create labs/nat-types.yaml && natlab verify nat-types\n"
        "  natlab verify nat-types nat-sym --quick --json\n"
        "  natlab verify dual-stack --ipv6");
    cmd->callback([opt] { run_verify(*opt); });
}

}  // namespace natlab
