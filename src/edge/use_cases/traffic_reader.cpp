#include "edge/use_cases/traffic_reader.hpp"

#include "core/names/netns_name.hpp"
#include "edge/kernel/conntrack.hpp"
#include "edge/kernel/netns.hpp"
#include "edge/use_cases/live_lab.hpp"
#include "edge/use_cases/node_netns.hpp"

namespace natlab {

TrafficReport read_traffic(const std::string& lab) {
    LoadedLab loaded = load_live_lab(lab);
    std::vector<NatFlows> nats;
    for (const auto& node : loaded.lab.nodes) {
        if (!node.nat) continue;
        UniqueFd fd = open_node_netns(lab, node.name);
        NetnsGuard guard(fd.get(), netns_name(lab, node.name));
        nats.push_back(
            {node.name, ConntrackSocket().dump("reading the conntrack table of " + node.name)});
    }
    return lab_traffic(loaded.lab, nats);
}

}  // namespace natlab
