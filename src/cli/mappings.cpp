// natlab mappings: a NAT node's translation table right now.
#include <CLI/CLI.hpp>
#include <ctime>
#include <iostream>

#include "cli/commands.hpp"
#include "core/nat/ipv6_classes.hpp"
#include "edge/system/root.hpp"
#include "edge/use_cases/nat_mappings.hpp"

namespace natlab {
namespace {

struct MappingsOptions {
    std::string lab, node;
    bool json = false;
    bool log = false;
};

void print_allocation_log(const MappingsOptions& opt) {
    AllocationLog log = read_allocation_log(opt.lab, opt.node);
    std::cout << (opt.json ? allocation_log_json_lines(log) : render_allocation_log(log));
}

// What inside hosts asked for through UPnP, NAT-PMP or PCP.
std::string requested_text(const NatMappings& m) {
    if (m.behaviour.port_mapping.empty()) return "";
    if (m.requested.empty()) return "requested through UPnP, NAT-PMP or PCP: none\n";
    std::string text = "requested through UPnP, NAT-PMP or PCP:\n";
    std::int64_t now = std::time(nullptr);
    for (const auto& lease : m.requested)
        text += "  " +
                describe_lease(lease, m.external,
                               m.names.inside_node(lease.internal.ip).value_or(""), now) +
                "\n";
    return text;
}

nlohmann::json requested_json(const NatMappings& m) {
    auto out = nlohmann::json::array();
    for (const auto& lease : m.requested)
        out.push_back(
            {{"protocol", name_of(lease.protocol)},
             {"external",
              Endpoint{m.external, static_cast<std::uint16_t>(lease.external_port)}.str()},
             {"internal", lease.internal.str()},
             {"host", m.names.inside_node(lease.internal.ip).value_or("")},
             {"expires", lease.expires},
             {"description", lease.description}});
    return out;
}

void run_mappings(const MappingsOptions& opt) {
    require_root("mappings");
    if (opt.log) return print_allocation_log(opt);
    NatMappings m = read_mappings(opt.lab, opt.node);
    if (opt.json) {
        nlohmann::json j = {{"lab", opt.lab},
                            {"nat", opt.node},
                            {"behaviour", behaviour_words(m.behaviour)},
                            {"mappings", mapping_table_json(m.rows, m.names)},
                            {"ports", m.ports ? port_usage_json(*m.ports) : nlohmann::json()}};
        if (!m.behaviour.port_mapping.empty()) j["requested"] = requested_json(m);
        if (m.ipv6)
            j["ipv6"] = {{"mode", name_of(m.ipv6->mode)},
                         {"side", ipv6_side_name(*m.ipv6)},
                         {"mappings", mapping_table_json(m.ipv6_rows, m.names)}};
        std::cout << j.dump(2) << "\n";
        return;
    }
    std::cout << opt.node << ": " << behaviour_words(m.behaviour) << "\n";
    if (m.ports) std::cout << describe_port_usage(*m.ports);
    std::cout << requested_text(m);
    if (m.rows.empty()) {
        std::cout << "no mappings: nothing behind " << opt.node
                  << " has sent out lately (or every flow and binding has expired)\n";
    } else {
        std::cout << render_mapping_table(m.rows, m.names);
    }
    if (!m.ipv6) return;
    std::cout << "IPv6: " << ipv6_side_name(*m.ipv6) << "\n";
    if (m.ipv6_rows.empty())
        std::cout << "no IPv6 flows: nothing behind " << opt.node << " talks over IPv6 lately\n";
    else
        std::cout << render_mapping_table(m.ipv6_rows, m.names);
}

}  // namespace

void register_mappings(CLI::App& app) {
    auto opt = std::make_shared<MappingsOptions>();
    auto* cmd = app.add_subcommand(
        "mappings", "A NAT node's translation table: inside -> public endpoint, peers (root)");
    cmd->add_option("lab", opt->lab, "Lab name")->required();
    cmd->add_option("nat", opt->node, "NAT node")->required();
    cmd->add_flag("--json", opt->json, "Print JSON (with --log: one object per line)");
    cmd->add_flag("--log", opt->log,
                  "The allocation log of a NAT with port blocks: which subscriber holds which "
                  "external address and ports, since when, and how many of its new flows were "
                  "refused");
    cmd->footer(
        "For every inside endpoint the NAT has mapped: its public endpoint, the remote peers it\n"
        "talks with (live conntrack flows), who may send in through it (from the NAT's filtering\n"
        "and what it has learnt), and how long the mapping lives without traffic.\n"
        "A NAT with an IPv6 side lists it after IPv4: NAT66 and NPTv6 mappings as above; the\n"
        "firewall and routed modes translate nothing, so each inside endpoint talking across is\n"
        "shown with its own address, its peers, and whom the firewall lets in to it.\n"
        "Examples:\n"
        "  natlab mappings nat-types nat-full\n"
        "  natlab mappings cgnat cgn --log --json   # RFC 7422: the block table is the log");
    cmd->callback([opt] { run_mappings(*opt); });
}

}  // namespace natlab
