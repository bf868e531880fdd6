#include <CLI/CLI.hpp>
#include <iostream>

#include "cli/commands.hpp"
#include "cli/probe_options.hpp"
#include "edge/probe/run_probe.hpp"
#include "edge/system/root.hpp"

namespace natlab {
namespace {

struct ProbeOptions {
    std::string lab, host, server;
    int timeout_ms = 500;
    bool json = false;
    bool ipv6 = false;
};

void print_text(const ProbeReport& r) {
    const auto& m = r.measured;
    const bool v6 = r.target.family == Family::ipv6;
    std::cout << "probe of " << r.target.nat << (v6 ? "'s IPv6 side" : "") << " from "
              << r.target.host << " (server on " << r.target.server_node << ": "
              << r.server_primary.str() << " and " << r.server_alternate.str() << ")\n";
    auto line = [](const char* what, const std::string& value) {
        std::cout << "  " << std::left << std::setw(20) << what << value << "\n";
    };
    line("mapped address", r.local.str() + " -> " + m.mapped.str());
    if (v6)
        line("translation", m.behind_nat ? "address: the server sees another address"
                                         : "none: the server sees the host's own address");
    else if (!m.behind_nat)
        line("NAT", "none: the server sees the host's own address");
    line("mapping", name_of(m.mf.mapping));
    line("filtering", name_of(m.mf.filtering));
    // Without translation an inside host reaches another's address directly,
    // and no classic (NAT) name fits.
    const bool untranslated = v6 && !m.behind_nat;
    line("hairpinning",
         yes_no(m.hairpinning) + (untranslated ? " (directly: no translation)" : ""));
    line("port preservation", yes_no(m.port_preservation));
    if (!untranslated) line("classic name", classic_name(m.mf));
}

void run_probe_command(const ProbeOptions& opt) {
    require_root("probe");
    ProbeReport report =
        probe_host(opt.lab, opt.host, opt.server, std::chrono::milliseconds(opt.timeout_ms),
                   opt.ipv6 ? Family::ipv6 : Family::ipv4);
    if (opt.json)
        std::cout << report_json(opt.lab, report).dump(2) << "\n";
    else
        print_text(report);
}

}  // namespace

void register_probe(CLI::App& app) {
    auto opt = std::make_shared<ProbeOptions>();
    auto* cmd =
        app.add_subcommand("probe", "Measure the NAT in front of a host, RFC 5780 style (root)");
    cmd->add_option("lab", opt->lab, "Lab name")->required();
    cmd->add_option("host", opt->host, "Host node behind the NAT to probe from")->required();
    add_probe_options(*cmd, opt->server, opt->timeout_ms, opt->json, opt->ipv6);
    cmd->footer(
        "Runs a STUN server with two addresses and two ports on the NAT's public side (a spare\n"
        "address of the server's subnet is added for the probe and removed after it) and the\n"
        "RFC 5780 tests from the host: mapping and filtering behaviour in RFC 4787 terms,\n"
        "hairpinning, port preservation, and the classic (RFC 3489) name.\n"
        "With --ipv6 the same tests run over IPv6 (STUN's IPv6 addresses, RFC 5389) through the\n"
        "NAT's IPv6 side, and 'translation' says whether the server saw the host's own address\n"
        "(the firewall and routed modes) or another one (nat66, nptv6).\n"
        "Examples:\n"
        "  natlab probe nat-types c-full\n"
        "  natlab probe two-nat c0 --server internet --json\n"
        "  natlab probe dual-stack laptop -6");
    cmd->callback([opt] { run_probe_command(*opt); });
}

}  // namespace natlab
