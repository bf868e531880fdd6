#include "edge/use_cases/nat_mappings.hpp"

#include <sys/stat.h>

#include <ctime>

#include "core/names/netns_name.hpp"
#include "core/names/paths.hpp"
#include "core/nat/nat_outsides.hpp"
#include "core/nat/render_nft.hpp"
#include "core/topology/node_lookup.hpp"
#include "core/util/invalid_input.hpp"
#include "edge/kernel/conntrack.hpp"
#include "edge/kernel/netns.hpp"
#include "edge/kernel/nft.hpp"
#include "edge/system/text_file.hpp"
#include "edge/use_cases/live_lab.hpp"
#include "edge/use_cases/node_netns.hpp"

namespace natlab {

namespace {

// "ip natlab taken", or "ip natlab taken_en0" for a further outside's.
std::string object(const NatNode& nat, std::size_t outside, const std::string& name) {
    return std::string("ip ") + kNatTable + " " + name + outside_object_suffix(nat, outside);
}

}  // namespace

std::optional<PortUsage> read_port_usage(const NatNode& nat) {
    NftContext nft;
    std::optional<PortUsage> all;
    // Each outside offers the range on its own address.
    for (std::size_t i = 0; i < nat_outsides(nat).size(); ++i) {
        auto one =
            port_usage(nft.list_json("list set " + object(nat, i, "taken")),
                       nft.list_json("list counter " + object(nat, i, "refused")), nat.behaviour);
        if (!one) return std::nullopt;
        if (!all) {
            all = one;
            continue;
        }
        for (const auto& [protocol, held] : one->held) all->held[protocol] += held;
        all->refused += one->refused;
        all->addresses += one->addresses;
    }
    return all;
}

std::set<std::uint16_t> read_ports_in_use(const std::string& lab, const std::string& node) {
    LoadedLab loaded = load_live_lab(lab);
    const NatNode& nat = *require_nat_node(loaded.lab, node, "probe").nat;
    UniqueFd fd = open_node_netns(lab, node);
    NetnsGuard guard(fd.get(), netns_name(lab, node));
    NftContext nft;
    auto flows = ConntrackSocket().dump("reading the conntrack table of " + node);
    std::set<std::uint16_t> out;
    for (std::size_t i = 0; i < nat_outsides(nat).size(); ++i)
        out.merge(ports_in_use(flows, nft.list_json("list set " + object(nat, i, "taken"))));
    return out;
}

std::vector<PortMappingLease> read_port_mapping_leases(const std::string& lab,
                                                       const std::string& node) {
    return parse_port_mapping_leases(read_text_file(port_mapping_file(lab, node, ".leases")));
}

NatMappings read_mappings(const std::string& lab, const std::string& node) {
    LoadedLab loaded = load_live_lab(lab);
    const NatNode& nat = *require_nat_node(loaded.lab, node, "mappings").nat;
    const NatBehaviour& behaviour = nat.behaviour;
    UniqueFd fd = open_node_netns(lab, node);
    std::vector<ConntrackFlow> flows;
    NatState state, state6;
    std::optional<PortUsage> ports;
    {
        NetnsGuard guard(fd.get(), netns_name(lab, node));
        flows = ConntrackSocket().dump("reading the conntrack table of " + node);
        // Only the maps: listing the rules as JSON makes libnftables complain
        // about statements it cannot express in JSON.
        NftContext nft;
        const auto outsides = nat_outsides(nat);
        for (std::size_t i = 0; i < outsides.size(); ++i) {
            NatState one = parse_nat_state({nft.list_json("list map " + object(nat, i, "eim")),
                                            nft.list_json("list set " + object(nat, i, "peers"))});
            for (auto& p : one.peers)
                if (outsides.size() > 1) p.outside_address = outsides[i].address;
            state.bindings.insert(state.bindings.end(), one.bindings.begin(), one.bindings.end());
            state.peers.insert(state.peers.end(), one.peers.begin(), one.peers.end());
        }
        // NAT66 learns in maps and sets of IPv4's names; a firewall's are
        // its own, and its rows come from the flows alone.
        if (nat.ipv6 && nat.ipv6->mode == Ipv6Mode::nat66) {
            std::string table6 = std::string("ip6 ") + kNatTable;
            state6 = parse_nat_state({nft.list_json("list map " + table6 + " eim"),
                                      nft.list_json("list set " + table6 + " peers")});
        }
        ports = read_port_usage(nat);
    }
    NatMappings m{behaviour,
                  mapping_table(flows, state, behaviour),
                  PeerNames(loaded.lab, node),
                  ports,
                  nat.external_address,
                  behaviour.port_mapping.empty() ? std::vector<PortMappingLease>{}
                                                 : read_port_mapping_leases(lab, node),
                  nat.ipv6,
                  {}};
    if (nat.ipv6) m.ipv6_rows = ipv6_mapping_table(flows, state6, *nat.ipv6);
    return m;
}

namespace {

std::string utc_time_of(const std::string& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) return "";
    std::tm tm{};
    gmtime_r(&st.st_mtime, &tm);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return text;
}

}  // namespace

AllocationLog read_allocation_log(const std::string& lab, const std::string& node) {
    LoadedLab loaded = load_live_lab(lab);
    const NatNode& nat = *require_nat_node(loaded.lab, node, "mappings").nat;
    if (nat.behaviour.port_block == 0)
        throw InvalidInput("natlab: " + node +
                           " gives out no port blocks, so it keeps no allocation log; " +
                           "give it 'port-block: N' (ports per subscriber), or see its live " +
                           "mappings with 'natlab mappings " + lab + " " + node + "'");
    AllocationLog log{node, utc_time_of(lab_dir(lab) + "/state"), port_blocks(nat), {}};
    UniqueFd fd = open_node_netns(lab, node);
    NetnsGuard guard(fd.get(), netns_name(lab, node));
    log.refused = parse_exhausted(
        NftContext().list_json(std::string("list set ip ") + kNatTable + " exhausted"));
    return log;
}

}  // namespace natlab
