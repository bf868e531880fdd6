#include "edge/lab/change_link.hpp"

#include "core/condition/describe_condition.hpp"
#include "core/names/netns_name.hpp"
#include "core/util/invalid_input.hpp"
#include "core/util/text.hpp"
#include "edge/kernel/netlink.hpp"
#include "edge/kernel/netns.hpp"
#include "edge/kernel/qdisc_support.hpp"
#include "edge/lab/live_lab.hpp"
#include "edge/lab/lock.hpp"
#include "edge/lab/node_netns.hpp"
#include "edge/lab/restore_routes.hpp"
#include "edge/lab/state_store.hpp"

namespace natlab {
namespace {

struct End {
    std::string node, ifname;
    const LabInterface* iface;
};

End find_end(const LoadedLab& loaded, const std::string& lab, const std::string& end) {
    auto colon = end.find(':');
    std::string node = end.substr(0, colon),
                ifname = colon == std::string::npos ? "" : end.substr(colon + 1);
    const LabNode* n = loaded.lab.find_node(node);
    const LabInterface* iface = n && !ifname.empty() ? n->find_interface(ifname) : nullptr;
    if (!iface) {
        std::vector<std::string> ends;
        if (n)
            for (const auto& i : n->interfaces) ends.push_back(node + ":" + i.name);
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

}  // namespace

LinkCondition set_link_condition(const std::string& lab, const std::string& end,
                                 const ConditionSettings& settings, bool clear) {
    LabLock lock(lab);
    LoadedLab loaded = load_live_lab(lab);
    End e = find_end(loaded, lab, end);
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
    in_node(lab, e.node, [&](RouteSocket& route) {
        route.set_condition(e.ifname, next, "setting the condition of " + end);
    });
    append_state_record(lab, state_change_record({e.node, e.ifname, describe_condition(next),
                                                  std::nullopt, std::nullopt}));
    return next;
}

void set_link_up(const std::string& lab, const std::string& end, bool up) {
    LabLock lock(lab);
    LoadedLab loaded = load_live_lab(lab);
    End e = find_end(loaded, lab, end);
    const LabNode& node = *loaded.lab.find_node(e.node);
    in_node(lab, e.node, [&](RouteSocket& route) {
        if (!up) return route.set_down(e.ifname, "taking down " + end);
        route.set_up(e.ifname, "", "bringing up " + end);
        // The kernel dropped the routes through the interface when it went
        // down; the node's own come back with it.
        restore_routes_through(route, node, *e.iface, end);
    });
    append_state_record(lab,
                        state_change_record({e.node, e.ifname, std::nullopt, up, std::nullopt}));
}

}  // namespace natlab
