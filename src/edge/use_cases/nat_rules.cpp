#include "edge/use_cases/nat_rules.hpp"

#include <stdexcept>

#include "core/names/netns_name.hpp"
#include "core/nat/render_nft.hpp"
#include "core/topology/node_lookup.hpp"
#include "edge/executor/kernel_executor.hpp"
#include "edge/kernel/netns.hpp"
#include "edge/kernel/nft.hpp"
#include "edge/use_cases/live_lab.hpp"
#include "edge/use_cases/locked_lab.hpp"
#include "edge/use_cases/node_netns.hpp"

namespace natlab {

std::string live_rules(const std::string& lab, const std::string& node) {
    LoadedLab loaded = load_live_lab(lab);
    require_nat_node(loaded.lab, node, "rules");
    std::string netns = netns_name(lab, node);
    UniqueFd fd = open_node_netns(lab, node);
    NetnsGuard guard(fd.get(), netns);
    NftContext nft;
    std::string live = nft.list_table("ip", kNatTable) + nft.list_table("ip6", kNatTable);
    if (live.empty())
        throw std::runtime_error("no table ip " + std::string(kNatTable) + " in " + netns +
                                 "; put it back with 'natlab rules " + lab + " " + node +
                                 " --reload'");
    return live;
}

void reload_rules(const std::string& lab, const std::string& node) {
    LockedLab locked(lab);
    require_nat_node(locked.loaded().lab, node, "rules");
    std::string netns = netns_name(lab, node);
    for (const auto& step : locked.loaded().plan.steps) {
        const auto* rules = std::get_if<ApplyRuleset>(&step);
        if (rules && rules->netns == netns) KernelExecutor().apply(step);
    }
}

}  // namespace natlab
