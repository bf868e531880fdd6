#include "edge/use_cases/change_link.hpp"
#include "core/topology/node_interface.hpp"

#include "core/condition/describe_condition.hpp"
#include "core/names/netns_name.hpp"
#include "core/util/invalid_input.hpp"
#include "core/util/text.hpp"
#include "edge/kernel/netlink.hpp"
#include "edge/kernel/netns.hpp"
#include "edge/kernel/qdisc_support.hpp"
#include "edge/use_cases/locked_lab.hpp"
#include "edge/use_cases/node_netns.hpp"
#include "edge/use_cases/restore_routes.hpp"
#include "edge/use_cases/state_store.hpp"

namespace natlab {
namespace {

struct End {
    std::string node, ifname;
    const LabInterface* iface;
};

End find_end(const LoadedLab& loaded, const std::string& lab, const std::string& end) {
    auto named = NodeInterface::parse(end);
    std::string node = named ? named->node : end, ifname = named ? named->interface : "";
    const LabNode* n = loaded.lab.find_node(node);
    const LabInterface* iface = n && !ifname.empty() ? n->find_interface(ifname) : nullptr;
    if (!iface) {
        std::vector<std::string> ends;
        if (n)
            for (const auto& i : n->interfaces) ends.push_back(NodeInterface{node, i.name}.str());
        throw InvalidInput("natlab: " + quote(end) + " is not a link end of lab " + lab +
                           (ends.empty() ? "; write NODE:IFACE (see 'natlab status " + lab + "')"
                                         : "; " + node + "'s are " + join(ends, ", ")));
    }
    return {node, ifname, iface};
}

template <class Change>
void in_node(const std::string& lab, const std::string& node, Change change) {
    UniqueFd fd = open_node_netns(lab, node);
    NetnsGuard guard(fd.get(), netns_name(lab, node));
    RouteSocket route;
    change(route);
}

void condition_in_kernel(const std::string& lab, const std::string& node, const std::string& ifname,
                         const LinkCondition& condition) {
    in_node(lab, node, [&](RouteSocket& route) {
        route.set_condition(ifname, condition,
                            "setting the condition of " + NodeInterface{node, ifname}.str());
    });
}

void up_in_kernel(const std::string& lab, const LabNode& node, const LabInterface& iface, bool up) {
    const std::string end = NodeInterface{node.name, iface.name}.str();
    in_node(lab, node.name, [&](RouteSocket& route) {
        if (!up) return route.set_down(iface.name, "taking down " + end);
        route.set_up(iface.name, "", "bringing up " + end);
        // The kernel dropped the routes through the interface when it went
        // down, and its IPv6 addresses and proxy entries; they come back with it.
        restore_after_up(route, node, iface, end);
    });
}

}  // namespace

LinkCondition set_link_condition(const std::string& lab, const std::string& end,
                                 const ConditionSettings& settings, bool clear) {
    LockedLab locked(lab);
    End e = find_end(locked.loaded(), lab, end);
    std::vector<std::string> problems;
    LinkCondition next =
        apply_condition_settings(clear ? LinkCondition{} : e.iface->condition, settings, problems);
    if (!problems.empty()) throw InvalidInput("natlab: " + join(problems, "\nnatlab: "));
    if (next.needs_netem())
        if (auto refusal = qdisc_refusal("netem"); !refusal.empty())
            throw InvalidInput("natlab: " + describe_condition(next) +
                               " needs the kernel's netem queueing discipline, and this kernel has "
                               "none (it says: " +
                               refusal + "); load module sch_netem or set only a rate");
    LiveChange change{e.node,       e.ifname,     describe_condition(next),
                      std::nullopt, std::nullopt, std::nullopt};
    locked.change(pending_change(change),
                  [&] { condition_in_kernel(lab, e.node, e.ifname, next); });
    return next;
}

void set_link_up(const std::string& lab, const std::string& end, bool up) {
    LockedLab locked(lab);
    End e = find_end(locked.loaded(), lab, end);
    const LabNode& node = *locked.loaded().lab.find_node(e.node);
    LiveChange change{e.node, e.ifname, std::nullopt, up, std::nullopt, std::nullopt};
    locked.change(pending_change(change), [&] { up_in_kernel(lab, node, *e.iface, up); });
}

void finish_link_change(const std::string& lab, const Lab& after, const LiveChange& change) {
    const LabNode& node = *after.find_node(change.node);
    const LabInterface& iface = *node.find_interface(change.ifname);
    if (change.condition) condition_in_kernel(lab, node.name, iface.name, iface.condition);
    if (change.up) up_in_kernel(lab, node, iface, *change.up);
    append_state_record(lab, state_change_record(change));
}

}  // namespace natlab
