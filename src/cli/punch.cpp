// natlab punch and natlab matrix: real UDP hole punching between hosts behind
// NATs, one pair or every pair of the classic NAT types.

#include <CLI/CLI.hpp>
#include <iomanip>
#include <iostream>

#include "cli/common.hpp"
#include "core/names/unique_name.hpp"
#include "core/probe/probe_target.hpp"
#include "core/punch/punch_report.hpp"
#include "core/util/text.hpp"
#include "edge/kernel/conntrack.hpp"
#include "edge/kernel/interrupt_flag.hpp"
#include "edge/kernel/netns.hpp"
#include "edge/kernel/random.hpp"
#include "edge/lab/clean.hpp"
#include "edge/lab/live_lab.hpp"
#include "edge/punch/hole_punch.hpp"

namespace natlab {
namespace {

constexpr auto kWindow = std::chrono::milliseconds(1000);

PunchNat nat_of(const Lab& lab, const std::string& host) {
    const LabNode& nat = *lab.find_node(probe_target(lab, host, "").nat);
    return {nat.name, behaviour_name(nat.nat->behaviour), nat.nat->behaviour.mf};
}

// The public endpoint the NAT gave `local`'s packets towards `peer`, from its
// conntrack table: with a mapping per destination it differs from what the
// rendezvous saw.
std::optional<Endpoint> mapping_toward(const std::string& lab, const std::string& nat,
                                       const Endpoint& local, const Endpoint& peer) {
    UniqueFd fd = open_node_netns(lab, nat);
    NetnsGuard guard(fd.get(), netns_name(lab, nat));
    for (const auto& flow : ConntrackSocket().dump("reading the conntrack table of " + nat)) {
        if (flow.protocol == "udp" && flow.original.src == local && flow.original.dst == peer)
            return flow.reply.dst;
    }
    return std::nullopt;
}

struct PunchRun {
    PunchOutcome outcome;
    PunchNat nat_a, nat_b;
    PunchReport report;
};

PunchRun punch_pair(const Lab& lab, const std::string& a, const std::string& b) {
    PunchRun run{{}, nat_of(lab, a), nat_of(lab, b), {}};
    ProbeTarget place = probe_target(lab, a, "");
    UniqueFd fa = open_node_netns(lab.name, a), fb = open_node_netns(lab.name, b),
             fr = open_node_netns(lab.name, place.server_node);
    run.outcome = hole_punch(
        {fa.get(), fb.get(), fr.get(), a, b, place.server_node, place.primary.address}, kWindow);
    PunchSide &sa = run.outcome.a, &sb = run.outcome.b;
    if (sa.public_seen && sb.public_seen) {
        sa.mapped_toward_peer = mapping_toward(lab.name, run.nat_a.node, sa.local, *sb.public_seen);
        sb.mapped_toward_peer = mapping_toward(lab.name, run.nat_b.node, sb.local, *sa.public_seen);
    }
    run.report = judge_punch(run.outcome, run.nat_a, run.nat_b);
    return run;
}

void check_host(const Lab& lab, const std::string& host) {
    const LabNode* node = lab.find_node(host);
    if (!node || node->kind != NodeKind::host)
        throw InvalidInput("natlab punch: " + quote(host) + " is not a host of lab " + lab.name +
                           "; its hosts are " + node_names(lab, NodeKind::host));
}

struct PunchOptions {
    std::string lab, a, b;
    bool json = false;
};

void run_punch(const PunchOptions& opt) {
    require_root("punch");
    LoadedLab loaded = load_live_lab(opt.lab);
    check_host(loaded.lab, opt.a);
    check_host(loaded.lab, opt.b);
    std::string nat_a = nat_of(loaded.lab, opt.a).node, nat_b = nat_of(loaded.lab, opt.b).node;
    if (nat_a == nat_b) {
        throw InvalidInput("natlab punch: " + opt.a + " and " + opt.b + " are both behind " +
                           nat_a +
                           "; between them packets would need hairpinning, not hole "
                           "punching: pick two hosts behind different NATs");
    }
    PunchRun run = punch_pair(loaded.lab, opt.a, opt.b);
    if (opt.json)
        std::cout << punch_json(run.outcome, run.nat_a, run.nat_b, run.report).dump(2) << "\n";
    else
        std::cout << render_punch(run.outcome, run.nat_a, run.nat_b, run.report);
    if (!run.report.works()) throw ExitRequest{kExitNoPath};
}

// ---- matrix: a generated lab with two hosts behind each classic NAT type.

const std::vector<std::pair<std::string, NatType>> kTypes = {
    {"full", NatType::full_cone},
    {"restricted", NatType::restricted_cone},
    {"port", NatType::port_restricted_cone},
    {"sym", NatType::symmetric}};

std::string matrix_topology() {
    std::string nodes = "nodes:\n  internet: {kind: router}\n", links = "links:\n";
    int subnet = 1;
    for (const auto& [key, type] : kTypes) {
        for (int copy = 1; copy <= 2; ++copy, ++subnet) {
            std::string id = key + "-" + std::to_string(copy), s = std::to_string(subnet);
            nodes += "  nat-" + id + ": {kind: nat, type: " + name_of(type) +
                     ", outside: wan, routes: {default: internet}}\n";
            nodes += "  " + id + ": {routes: {default: nat-" + id + "}}\n";
            links += "  - {endpoints: [nat-" + id + ":lan, " + id + ":eth0], subnet: 10.0." + s +
                     ".0/24}\n";
            links += "  - {endpoints: [internet:" + id + ", nat-" + id + ":wan], subnet: 100.64." +
                     s + ".0/24}\n";
        }
    }
    return "name: matrix\n" + nodes + links;
}

struct MatrixOptions {
    bool json = false;
};

void run_matrix(const MatrixOptions& opt) {
    InterruptFlag interrupt;  // Ctrl-C stops between punches and removes the lab
    LoadedLab loaded =
        load_lab_text(matrix_topology(), "<matrix>", unique_lab_name("matrix", random_u32()));
    create_lab(loaded, {});
    struct Cleanup {
        std::string lab;
        ~Cleanup() {
            try {
                clean_lab_locked(lab);
            } catch (const std::exception& e) {
                std::cerr << "natlab matrix: removing lab " << lab << " failed: " << e.what()
                          << "\n";
            }
        }
    } cleanup{loaded.lab.name};
    nlohmann::json cells = nlohmann::json::array();
    std::ostringstream table, notes;
    table << std::left << std::setw(22) << "A \\ B";
    for (const auto& [key, type] : kTypes) table << std::setw(22) << name_of(type);
    table << "\n";
    bool agrees = true;
    for (std::size_t i = 0; i < kTypes.size(); ++i) {
        const auto& [key_a, type_a] = kTypes[i];
        table << std::setw(22) << name_of(type_a);
        for (std::size_t j = 0; j < kTypes.size(); ++j) {
            const auto& [key_b, type_b] = kTypes[j];
            if (interrupt.flag()->load())
                throw std::runtime_error("matrix interrupted; lab " + loaded.lab.name + " removed");
            PunchRun run = punch_pair(loaded.lab, key_a + "-1", key_b + "-2");
            const PunchReport& r = run.report;
            agrees = agrees && r.works() == r.expected;
            std::string cell = r.works() ? "works" : "fails";
            if (r.works() != r.expected)
                cell += r.expected ? " (theory: works)" : " (theory: fails)";
            table << std::setw(22) << cell;
            cells.push_back(punch_json(run.outcome, run.nat_a, run.nat_b, r));
            if (!r.works() && i <= j) {  // each failing pair once
                notes << "  " << name_of(type_a) << " -> " << name_of(type_b) << ": "
                      << (r.a_to_b ? "through" : r.why_not_a_to_b) << "\n";
            }
        }
        table << "\n";
    }
    if (opt.json) {
        std::cout << nlohmann::json{{"lab", loaded.lab.name},
                                    {"agrees_with_theory", agrees},
                                    {"pairs", cells}}
                         .dump(2)
                  << "\n";
    } else {
        std::cout
            << "UDP hole punching between hosts behind each pair of NAT types (measured in lab "
            << loaded.lab.name << "):\n\n"
            << table.str() << "\n"
            << (agrees ? "Every cell agrees with theory.\n"
                       : "Some cells disagree with theory (marked).\n");
        if (!notes.str().empty()) std::cout << "Why the failures fail:\n" << notes.str();
    }
    if (!agrees) throw ExitRequest{kExitMismatch};
}

}  // namespace

void register_punch(CLI::App& app) {
    auto opt = std::make_shared<PunchOptions>();
    auto* cmd = app.add_subcommand(
        "punch",
        "Try UDP hole punching between two hosts behind NATs, and say why it fails (root)");
    cmd->add_option("lab", opt->lab, "Lab name")->required();
    cmd->add_option("host_a", opt->a, "A host behind a NAT")->required();
    cmd->add_option("host_b", opt->b, "Another host behind a NAT")->required();
    cmd->add_flag("--json", opt->json, "Print JSON");
    cmd->footer(
        "A rendezvous server on the public side (where 'probe' puts its server) tells each host\n"
        "the other's public endpoint; both send to it, and answer any endpoint they hear from.\n"
        "Exit code 0 when packets got through both ways, 4 when they did not.\n"
        "Example:\n"
        "  natlab punch nat-types c-full c-sym");
    cmd->callback([opt] { run_punch(*opt); });

    auto mopt = std::make_shared<MatrixOptions>();
    auto* matrix = app.add_subcommand(
        "matrix", "Measure hole punching between every pair of NAT types, against theory (root)");
    matrix->add_flag("--json", mopt->json, "Print JSON (every pair's punch)");
    matrix->footer(
        "Builds a lab with two hosts behind each classic NAT type (full cone, restricted cone,\n"
        "port-restricted cone, symmetric), punches between every pair, prints the table and\n"
        "removes the lab. Exit code 3 when a cell disagrees with theory.\n"
        "Example:\n"
        "  natlab matrix");
    matrix->callback([mopt] { run_matrix(*mopt); });
}

}  // namespace natlab
