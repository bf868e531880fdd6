#include <CLI/CLI.hpp>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>

#include "cli/common.hpp"
#include "core/topology/load.hpp"
#include "edge/kernel/inspect.hpp"
#include "edge/kernel/process.hpp"
#include "edge/lab/clean.hpp"
#include "edge/lab/state_store.hpp"

namespace natlab {
namespace {

using nlohmann::json;

struct StatusOptions {
    std::vector<std::string> labs;
    bool json = false;
};

std::string route_text(const RouteInfo& r) {
    std::string dest = r.destination.prefix == 0 ? "default" : r.destination.str();
    return dest + (r.gateway ? " via " + r.gateway->str() : "");
}

json container_status(const LabState& state, const LabNode& node,
                      std::vector<std::string>& problems) {
    const ContainerRecord* record = state.find_container(node.name);
    bool running = record && record->leader && is_running(*record->leader);
    std::string machine = netns_name(state.lab, node.name);
    json j = {{"machine", machine},
              {"root", node.container->root},
              {"boot", node.container->boot},
              {"running", running},
              {"log", container_log(state.lab, node.name)}};
    if (running) j["pid"] = record->leader->pid;
    if (!running)
        problems.push_back("container " + machine + " is not running; see " +
                           container_log(state.lab, node.name));
    return j;
}

// Compares one node's namespace with what the plan says it must hold.
json node_status(const LabState& state, const LabNode& node, std::vector<std::string>& problems) {
    const std::string& lab = state.lab;
    std::string netns = netns_name(lab, node.name);
    NetnsSnapshot snap = snapshot_netns(netns);
    json j = {{"name", node.name},
              {"kind", name_of(node.kind)},
              {"netns", netns},
              {"exists", snap.exists}};
    if (!snap.exists) {
        problems.push_back("namespace " + netns + " is missing");
        return j;
    }
    std::map<int, std::string> names;
    for (const auto& l : snap.links) names[l.index] = l.name;
    json interfaces = json::array();
    for (const auto& planned : node.interfaces) {
        auto link = std::find_if(snap.links.begin(), snap.links.end(),
                                 [&](const LinkInfo& l) { return l.name == planned.name; });
        if (link == snap.links.end()) {
            problems.push_back(node.name + ":" + planned.name + " is missing");
            continue;
        }
        json addrs = json::array();
        for (const auto& a : snap.addresses) {
            // The kernel adds IPv6 link-local addresses itself; only planned ones matter here.
            if (a.ifindex == link->index && !a.address.address.is_ipv6_link_local())
                addrs.push_back(a.address.str());
        }
        for (const auto& want : planned.addresses)
            if (std::find(addrs.begin(), addrs.end(), want.str()) == addrs.end())
                problems.push_back(node.name + ":" + planned.name + " lacks " + want.str());
        if (!link->up) problems.push_back(node.name + ":" + planned.name + " is down");
        interfaces.push_back(
            {{"name", link->name}, {"up", link->up}, {"mtu", link->mtu}, {"addresses", addrs}});
    }
    json routes = json::array();
    for (const auto& r : snap.routes) {
        if (!r.gateway) continue;  // connected routes follow from the addresses
        routes.push_back({{"destination", r.destination.str()},
                          {"gateway", r.gateway->str()},
                          {"text", route_text(r)}});
    }
    for (const auto& want : node.routes) {
        bool present = std::any_of(snap.routes.begin(), snap.routes.end(), [&](const RouteInfo& r) {
            return r.destination == want.destination && r.gateway == want.gateway;
        });
        if (!present)
            problems.push_back(node.name + " lacks its route to " + want.destination.str());
    }
    j["interfaces"] = interfaces;
    j["routes"] = routes;
    if (node.container) j["container"] = container_status(state, node, problems);
    return j;
}

json lab_status(const std::string& lab) {
    auto state = load_state(lab);
    if (!state) throw std::runtime_error("no lab named " + lab + " (see 'natlab list')");
    json j = {{"lab", lab}, {"source", state->source}, {"complete", state->complete}};
    std::vector<std::string> problems;
    if (!state->complete)
        problems.push_back(
            "its create did not finish (crashed or still running); run 'natlab clean " + lab + "'");
    LoadedLab loaded = load_lab_text(load_topology_copy(lab), state->source, lab);
    json nodes = json::array();
    for (const auto& node : loaded.lab.nodes) nodes.push_back(node_status(*state, node, problems));
    j["nodes"] = nodes;
    j["healthy"] = problems.empty();
    j["problems"] = problems;
    return j;
}

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
            std::cout << "\n";
        }
        for (const auto& r : n["routes"])
            std::cout << "      route " << r["text"].get<std::string>() << "\n";
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
    }
}

void run_status(const StatusOptions& opt) {
    require_root("status");
    auto labs = opt.labs.empty() ? labs_with_state() : opt.labs;
    json all = json::array();
    bool healthy = true;
    for (const auto& lab : labs) {
        check_lab_name(lab);
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
        "Compares each node's namespace, interfaces, addresses and routes with the topology;\n"
        "exits 1 when something is missing.\n"
        "Examples:\n"
        "  natlab status two-nat\n"
        "  natlab status two-nat --json | jq '.nodes[].interfaces'");
    cmd->callback([opt] { run_status(*opt); });
}

}  // namespace natlab
