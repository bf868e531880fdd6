#include <CLI/CLI.hpp>
#include <ctime>
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "core/lifecycle/loaded_lab.hpp"
#include "edge/system/root.hpp"
#include "edge/use_cases/lab_status.hpp"

namespace natlab {
namespace {

using nlohmann::json;

struct StatusOptions {
    std::vector<std::string> labs;
    bool json = false;
};

void print_text(const json& s) {
    std::cout << "lab " << s["lab"].get<std::string>() << " (" << s["source"].get<std::string>()
              << "): " << (s["healthy"].get<bool>() ? "healthy" : "UNHEALTHY") << ", "
              << s["nodes"].size() << " nodes\n";
    for (const auto& p : s["problems"]) std::cout << "  problem: " << p.get<std::string>() << "\n";
    for (const auto& n : s["nodes"]) {
        std::cout << "  " << std::left << std::setw(12) << n["name"].get<std::string>()
                  << std::setw(8) << n["kind"].get<std::string>() << "netns "
                  << n["netns"].get<std::string>() << "\n";
        if (!n.contains("interfaces")) continue;
        for (const auto& i : n["interfaces"]) {
            std::cout << "      " << std::setw(15) << i["name"].get<std::string>() << std::setw(5)
                      << (i["up"].get<bool>() ? "up" : "DOWN");
            for (const auto& a : i["addresses"]) std::cout << " " << a.get<std::string>();
            if (i.contains("condition")) {
                std::cout << "  sends with";
                for (const auto& [key, value] : i["condition"].items())
                    std::cout << " " << key << " " << value.get<std::string>();
            }
            std::cout << "\n";
        }
        for (const auto& r : n["routes"])
            std::cout << "      route " << r["text"].get<std::string>() << "\n";
        if (n.contains("nd_proxy"))
            for (const auto& p : n["nd_proxy"])
                std::cout << "      answers neighbour solicitations on "
                          << p["interface"].get<std::string>() << " for "
                          << p["address"].get<std::string>() << "\n";
        if (n.contains("container")) {
            const auto& c = n["container"];
            std::cout << "      container " << c["machine"].get<std::string>() << " ("
                      << (c["root"] == "host" ? "host tree" : c["root"].get<std::string>())
                      << (c["boot"].get<bool>() ? ", booted" : "") << "): "
                      << (c["running"].get<bool>()
                              ? "running, pid " + std::to_string(c["pid"].get<int>())
                              : std::string("NOT RUNNING"))
                      << "\n";
        }
        if (n.contains("nat")) {
            const auto& nat = n["nat"];
            std::cout << "      NAT: " << nat["behaviour"].get<std::string>() << "; "
                      << (nat["ipv6"].is_null() ? std::string("no IPv6 side")
                                                : nat["ipv6"]["name"].get<std::string>())
                      << "\n";
        }
        if (n.contains("nat64")) {
            const auto& m = n["nat64"];
            std::cout << "      NAT64 " << m["prefix"].get<std::string>() << " to pool "
                      << m["pool"].get<std::string>() << " (device "
                      << m["device"].get<std::string>() << "): tayga "
                      << (m["tayga"].get<bool>() ? "running" : "NOT RUNNING") << " (log "
                      << m["log"].get<std::string>() << ")\n";
        }
        if (n.contains("ra")) {
            const auto& m = n["ra"];
            std::cout << "      router advertisements on";
            for (const auto& i : m["interfaces"]) {
                std::cout << " " << i["interface"].get<std::string>() << " (";
                std::string sep;
                for (const auto& p : i["prefixes"]) {
                    std::cout << sep << p.get<std::string>();
                    sep = ", ";
                }
                std::cout << ")";
            }
            std::cout << ": radvd " << (m["radvd"].get<bool>() ? "running" : "NOT RUNNING")
                      << " (log " << m["log"].get<std::string>() << ")\n";
        }
        if (n.contains("rules_as_declared"))
            std::cout << "      nftables rules: "
                      << (n["rules_as_declared"].get<bool>() ? "as declared" : "NOT AS DECLARED")
                      << "\n";
        if (n.contains("names")) {
            const auto& m = n["names"];
            std::cout << "      names";
            for (const auto& name : m["names"]) std::cout << " " << name.get<std::string>();
            std::cout << ":";
            for (const auto& a : m["addresses"]) std::cout << " " << a.get<std::string>();
            std::cout << (m["in_place"].get<bool>() ? "" : " (NOT IN PLACE)") << "\n";
        }
        if (n.contains("dns")) {
            const auto& d = n["dns"];
            std::cout << "      DNS server: " << d["program"].get<std::string>() << " "
                      << (d["running"].get<bool>() ? "running" : "NOT RUNNING") << " on";
            for (const auto& a : d["addresses"]) std::cout << " " << a.get<std::string>();
            if (!d["dns64"].is_null()) std::cout << ", DNS64 " << d["dns64"].get<std::string>();
            std::cout << " (log " << d["log"].get<std::string>() << ")\n";
        }
        if (n.contains("port_security")) {
            for (const auto& p : n["port_security"]) {
                auto policy = [&](const char* key, const char* words, const char* dropped) {
                    std::string text = std::string(words) + " " + p[key].get<std::string>() + "ed";
                    if (p.contains(dropped))
                        text += p[dropped].is_null()
                                    ? " (DROPS NOT COUNTED: the table is missing)"
                                    : " (" + std::to_string(p[dropped].get<std::uint64_t>()) +
                                          " dropped)";
                    return text;
                };
                std::cout << "      port " << p["port"].get<std::string>() << " ("
                          << p["host"].get<std::string>() << ", " << p["mac"].get<std::string>()
                          << "): "
                          << policy("forged_transmits", "forged transmits", "forged_dropped")
                          << ", " << policy("mac_changes", "MAC changes", "changed_dropped") << ", "
                          << policy("promiscuous", "promiscuous", "") << "\n";
            }
        }
        if (n.contains("dhcp_server")) {
            const auto& d = n["dhcp_server"];
            for (const auto& s : d["interfaces"])
                std::cout << "      DHCP server on " << s["interface"].get<std::string>() << ": "
                          << s["range"].get<std::string>() << ", lease "
                          << s["lease"].get<std::string>() << ", router "
                          << s["router"].get<std::string>() << "\n";
            std::cout << "      dnsmasq " << (d["running"].get<bool>() ? "running" : "NOT RUNNING")
                      << " (leases " << d["leases"].get<std::string>() << ")\n";
        }
        if (n.contains("dhcp"))
            for (const auto& c : n["dhcp"]) {
                std::cout << "      DHCP on " << c["interface"].get<std::string>() << " from "
                          << c["server"].get<std::string>() << ": udhcpc "
                          << (c["running"].get<bool>() ? "running" : "NOT RUNNING");
                if (c["lease"].is_object()) {
                    const auto& l = c["lease"];
                    std::time_t expires = l["expires"].get<std::int64_t>();
                    char when[32];
                    std::strftime(when, sizeof when, "%H:%M:%S", std::localtime(&expires));
                    std::cout << ", lease " << l["address"].get<std::string>() << " for "
                              << l["lease_s"].get<std::int64_t>() << " s, until " << when;
                } else {
                    std::cout << ", NO LEASE";
                }
                std::cout << "\n";
            }
        if (n.contains("port_mapping")) {
            const auto& m = n["port_mapping"];
            std::cout << "      port mapping: miniupnpd "
                      << (m["miniupnpd"].get<bool>() ? "running" : "NOT RUNNING") << ", stund "
                      << (m["stund"].get<bool>() ? "running" : "NOT RUNNING") << " (log "
                      << m["log"].get<std::string>() << ")\n";
        }
    }
}

void run_status(const StatusOptions& opt) {
    require_root("status");
    auto labs = opt.labs.empty() ? labs_to_show() : opt.labs;
    json all = json::array();
    bool healthy = true;
    for (const auto& lab : labs) {
        all.push_back(lab_status(lab));
        healthy = healthy && all.back()["healthy"].get<bool>();
    }
    if (opt.json) {
        std::cout << (opt.labs.size() == 1 ? all[0] : all).dump(2) << "\n";
    } else if (labs.empty()) {
        std::cout << "no natlab labs on this machine\n";
    } else {
        for (const auto& s : all) print_text(s);
    }
    if (!healthy) throw ExitRequest{kExitFailure};
}

}  // namespace

void register_status(CLI::App& app) {
    auto opt = std::make_shared<StatusOptions>();
    auto* cmd =
        app.add_subcommand("status", "Show what a lab holds and whether it is healthy (root)");
    cmd->add_option("lab", opt->labs, "Labs to show (default: all)");
    cmd->add_flag("--json", opt->json, "Print JSON (an object for one lab, a list otherwise)");
    cmd->footer(
        "Compares each node's namespace, interfaces, addresses, routes and link conditions with\n"
        "the topology and its live changes, and each NAT's live nftables rules with the declared\n"
        "ones; checks that containers, NATs' port-mapping daemons (miniupnpd, stund), NAT64\n"
        "translators (tayga), router advertisements (radvd), the lab's DNS server (unbound)\n"
        "and DHCP servers and clients (dnsmasq, udhcpc) run (showing each lease and its\n"
        "expiry),\n"
        "that each node's names (its hosts and resolv.conf, its link in /etc/netns) are in\n"
        "place, and that no change a killed natlab began is left unfinished; exits 1 when\n"
        "something is missing or differs, naming the command that puts it right.\n"
        "Examples:\n"
        "  natlab status two-nat\n"
        "  natlab status two-nat --json | jq '.nodes[].interfaces'");
    cmd->callback([opt] { run_status(*opt); });
}

}  // namespace natlab
