// natlab mappings: a NAT node's translation table right now.
#include <CLI/CLI.hpp>
#include <iostream>

#include "cli/common.hpp"
#include "core/conntrack/mapping_table.hpp"
#include "core/nat/render_nft.hpp"
#include "core/util/text.hpp"
#include "edge/kernel/conntrack.hpp"
#include "edge/kernel/netns.hpp"
#include "edge/kernel/nft.hpp"
#include "edge/lab/live_lab.hpp"

namespace natlab {
namespace {

struct MappingsOptions {
    std::string lab, node;
    bool json = false;
};

std::string behaviour_words(const NatBehaviour& nat) {
    return behaviour_name(nat) + " (" + name_of(nat.mf.mapping) + " mapping, " +
           name_of(nat.mf.filtering) + " filtering)";
}

void run_mappings(const MappingsOptions& opt) {
    require_root("mappings");
    LoadedLab loaded = load_live_lab(opt.lab);
    const LabNode* node = &require_nat_node(loaded, opt.node, "mappings");
    std::string netns = netns_name(opt.lab, opt.node);
    UniqueFd fd = open_node_netns(opt.lab, opt.node);
    std::vector<ConntrackFlow> flows;
    NatState state;
    {
        NetnsGuard guard(fd.get(), netns);
        flows = ConntrackSocket().dump("reading the conntrack table of " + opt.node);
        // Only the maps: listing the rules as JSON makes libnftables complain
        // about statements it cannot express in JSON.
        NftContext nft;
        std::string table = std::string("ip ") + kNatTable;
        state = parse_nat_state({nft.list_json("list map " + table + " eim"),
                                 nft.list_json("list set " + table + " peers")});
    }
    auto rows = mapping_table(flows, state, node->nat->behaviour);
    AddressBook names = address_book(loaded.lab);
    if (opt.json) {
        nlohmann::json j = {{"lab", opt.lab},
                            {"nat", opt.node},
                            {"behaviour", behaviour_words(node->nat->behaviour)},
                            {"mappings", mapping_table_json(rows, names)}};
        std::cout << j.dump(2) << "\n";
        return;
    }
    std::cout << opt.node << ": " << behaviour_words(node->nat->behaviour) << "\n";
    if (rows.empty()) {
        std::cout << "no mappings: nothing behind " << opt.node
                  << " has sent out lately (or every flow and binding has expired)\n";
        return;
    }
    std::cout << render_mapping_table(rows, names);
}

}  // namespace

void register_mappings(CLI::App& app) {
    auto opt = std::make_shared<MappingsOptions>();
    auto* cmd = app.add_subcommand(
        "mappings", "A NAT node's translation table: inside -> public endpoint, peers (root)");
    cmd->add_option("lab", opt->lab, "Lab name")->required();
    cmd->add_option("node", opt->node, "NAT node")->required();
    cmd->add_flag("--json", opt->json, "Print JSON");
    cmd->footer(
        "For every inside endpoint the NAT has mapped: its public endpoint, the remote peers it\n"
        "talks with (live conntrack flows), who may send in through it (from the NAT's filtering\n"
        "and what it has learnt), and how long the mapping lives without traffic.\n"
        "Example:\n"
        "  natlab mappings nat-types nat-full");
    cmd->callback([opt] { run_mappings(*opt); });
}

}  // namespace natlab
