#include "edge/use_cases/change_nat.hpp"

#include <algorithm>
#include <stdexcept>

#include "core/lifecycle/live_changes.hpp"
#include "core/names/netns_name.hpp"
#include "core/nat/nat_outsides.hpp"
#include "core/nat/render_ipv6.hpp"
#include "core/nat/render_nft.hpp"
#include "core/portmap/port_mapping_service.hpp"
#include "core/status/rules_difference.hpp"
#include "core/topology/node_interface.hpp"
#include "core/topology/node_lookup.hpp"
#include "core/util/invalid_input.hpp"
#include "core/util/text.hpp"
#include "edge/daemons/port_mapping_daemon.hpp"
#include "edge/kernel/conntrack.hpp"
#include "edge/kernel/netlink.hpp"
#include "edge/kernel/netns.hpp"
#include "edge/kernel/nft.hpp"
#include "edge/kernel/sysctl.hpp"
#include "edge/use_cases/listed_rules.hpp"
#include "edge/use_cases/locked_lab.hpp"
#include "edge/use_cases/node_netns.hpp"
#include "edge/use_cases/restore_routes.hpp"
#include "edge/use_cases/state_store.hpp"

namespace natlab {
namespace {

// Runs `change` in NAT node `nat`'s namespace.
template <class Change>
auto in_nat(const std::string& lab, const std::string& nat, Change change) {
    UniqueFd fd = open_node_netns(lab, nat);
    NetnsGuard guard(fd.get(), netns_name(lab, nat));
    return change();
}

// The conntrack timeouts the NAT's bindings live by, where they change.
void write_timeouts(const NatBehaviour& old, const NatBehaviour& next, const std::string& what) {
    if (old.udp_unreplied_timeout != next.udp_unreplied_timeout)
        write_sysctl("net.netfilter.nf_conntrack_udp_timeout",
                     std::to_string(next.udp_unreplied_timeout), what);
    if (old.udp_established_timeout != next.udp_established_timeout)
        write_sysctl("net.netfilter.nf_conntrack_udp_timeout_stream",
                     std::to_string(next.udp_established_timeout), what);
}

// Drops what `pause` matches while `forget` runs, so that no packet of a
// flow being forgotten teaches the NAT its old binding again meanwhile (a
// NAT that reboots answers nothing while it does).
template <class Forget>
void paused(NftContext& nft, const std::string& pause, Forget forget, const std::string& what) {
    nft.run(pause, what);
    try {
        forget();
    } catch (...) {
        nft.run(render_resume(), what);
        throw;
    }
}

// Every flow and learnt binding of the NAT, forgotten at once; returns how
// many flows there were.
std::size_t forget_everything(NftContext& nft, const NatNode& node, const std::string& what) {
    std::size_t flows = 0;
    paused(
        nft, render_pause({}),
        [&] {
            ConntrackSocket ct;
            flows = ct.dump(what).size();
            ct.flush(Family::ipv4, what);
            ct.flush(Family::ipv6, what);
            nft.run(render_nat_reset(node) + render_ipv6_reset(node) + render_resume(), what);
        },
        what);
    return flows;
}

// The outside interface's IPv4 addresses from `was` to `now`, and the routes
// the kernel dropped with the old ones back (a carrier that renumbers). What
// is already so stays: a change a killed natlab began may have made part of it.
void renumber(const LabInterface& was, const LabInterface& now, const LabNode& node,
              const std::string& nat) {
    RouteSocket route;
    const std::string end = NodeInterface{nat, now.name}.str();
    const int index = route.link(now.name, "reading the addresses of " + end).index;
    std::vector<std::string> held;
    for (const auto& a : route.addresses())
        if (a.ifindex == index) held.push_back(a.address.str());
    auto has = [](const auto& list, const std::string& a) {
        return std::find(list.begin(), list.end(), a) != list.end();
    };
    std::vector<std::string> wanted;
    for (const auto& a : now.addresses) wanted.push_back(a.str());
    for (const auto& a : was.addresses)
        if (!has(wanted, a.str()) && has(held, a.str()))
            route.delete_address(now.name, a, "removing " + a.str() + " from " + end);
    for (const auto& a : now.addresses)
        if (!has(held, a.str())) route.add_address(now.name, a, "adding " + a.str() + " to " + end);
    // A link that is down has no routes to restore; 'link ... up' brings them.
    if (!now.down) restore_routes_through(route, node, now, end);
}

// The outside interfaces whose address a change moves.
std::vector<std::string> moved_outsides(const NatNode& old, const NatNode& next) {
    std::vector<std::string> out;
    const auto was = nat_outsides(old), now = nat_outsides(next);
    for (std::size_t i = 0; i < was.size() && i < now.size(); ++i)
        if (was[i].address != now[i].address) out.push_back(now[i].interface);
    return out;
}

// Every moved outside of `to` gets its addresses as `to` has them.
void renumber_outsides(const LabNode& from, const LabNode& to,
                       const std::vector<std::string>& moved, const std::string& nat) {
    for (const auto& ifname : moved)
        renumber(*from.find_interface(ifname), *to.find_interface(ifname), to, nat);
}

// The IPv6 table as `next` declares it, where it differs from `old`'s (a
// NAT66 that copies the IPv4 keys, a firewall's timeouts): replaced in one
// transaction, or deleted when the side has no rules; its flows go with it.
void change_ipv6_table(NftContext& nft, const NatNode& old, const NatNode& next,
                       const std::string& what) {
    const std::string was = render_ipv6_rules(old), now = render_ipv6_rules(next);
    if (was == now) return;
    if (now.empty())
        nft.run(std::string("delete table ip6 ") + kNatTable + "\n", what);
    else
        nft.replace_table("ip6", kNatTable, now, what);
    ConntrackSocket().flush(Family::ipv6, what);
}

// NAT node `now`'s address (where it changed from `was`) and rules in the
// kernel; with `forget`, every flow and binding is forgotten too.
void change_in_kernel(const std::string& lab, const LabNode& was, const LabNode& now, bool forget) {
    const NatNode& old = *was.nat;
    const NatNode& next = *now.nat;
    const std::string& nat = now.name;
    const std::string what = "changing the rules of " + nat;
    const std::vector<std::string> moved = moved_outsides(old, next);
    in_nat(lab, nat, [&] {
        renumber_outsides(was, now, moved, nat);
        NftContext nft;
        try {
            change_ipv6_table(nft, old, next, what);
        } catch (...) {
            renumber_outsides(now, was, moved, nat);
            throw;
        }
        try {
            nft.run(render_nat_update(old, next), what);
        } catch (const std::exception& e) {
            // Refused rules change nothing, the address included.
            change_ipv6_table(nft, next, old, what);
            renumber_outsides(now, was, moved, nat);
            // The transaction names what it replaces: a table changed by hand differs.
            throw std::runtime_error(std::string(e.what()) +
                                     "\nnothing changed; if the NAT's table was changed by hand, "
                                     "put it back with 'natlab rules " +
                                     lab + " " + nat + " --reload' and set again");
        }
        write_timeouts(old.behaviour, next.behaviour, what);
        if (forget) forget_everything(nft, next, what);
    });
}

// NAT node `node`'s port-mapping service, started again after
// stop_port_mapping.
void run_service_again(const std::string& lab, const LabNode& node) {
    UniqueFd fd = open_node_netns(lab, node.name);
    run_port_mapping(port_mapping_service(lab, node), fd.get(),
                     "starting the port-mapping service of " + node.name + " again at " +
                         node.nat->external_address.str());
}

// The service as it was, after a failed change whose failure is what to
// report.
void try_service_again(const std::string& lab, const LabNode& node) {
    try {
        run_service_again(lab, node);
    } catch (const std::exception&) {
    }
}

}  // namespace

NatNow set_nat(const std::string& lab, const std::string& nat, const NatSettings& settings,
               Bindings bindings) {
    LockedLab locked(lab);
    const LoadedLab& before = locked.loaded();
    const NatNode& old =
        *require_nat_node(before.lab, nat, "NAT keys (a link end is NODE:IFACE)").nat;
    const LabState& state = locked.state();
    std::vector<LiveChange> changes = state.changes;
    std::string copy = load_topology_copy(lab);
    auto problems = nat_settings_problems(copy, state.source, lab, changes, nat, settings);
    if (!problems.empty()) throw InvalidInput("natlab: " + join(problems, "\nnatlab: "));
    LiveChange change{nat,         "", std::nullopt, std::nullopt, nat_settings_words(settings),
                      std::nullopt};
    changes.push_back(change);
    LoadedLab after = load_changed_lab(copy, state.source, lab, changes);
    const LabNode& next_node = *after.lab.find_node(nat);
    const NatNode& next = *next_node.nat;
    const bool renumbered = !moved_outsides(old, next).empty();
    const bool forget = bindings == Bindings::drop || renumbered;
    const LabNode& was = *before.lab.find_node(nat);
    // miniupnpd and stund know the address they started with, and miniupnpd
    // checks a new one by STUN against the old: stopped before the change,
    // started after it.
    const bool restart_service = renumbered && !next.behaviour.port_mapping.empty();
    locked.change(pending_change(change, bindings == Bindings::drop), [&] {
        if (restart_service) stop_port_mapping(netns_name(lab, nat));
        try {
            change_in_kernel(lab, was, next_node, forget);
        } catch (...) {
            // The change failed and is what to report; the service goes on
            // as it was where it can.
            if (restart_service) try_service_again(lab, was);
            throw;
        }
    });
    if (restart_service) run_service_again(lab, next_node);
    return {next.behaviour, nat_outsides(next), forget, restart_service};
}

void finish_nat_change(const std::string& lab, const Lab& before, const Lab& after,
                       const PendingChange& pending) {
    const std::string& nat = pending.change.node;
    const LabNode& was = *before.find_node(nat);
    const LabNode& now = *after.find_node(nat);
    const NatNode& old = *was.nat;
    const NatNode& next = *now.nat;
    const std::vector<std::string> moved = moved_outsides(old, next);
    const bool renumbered = !moved.empty();
    bool forget = pending.drop_bindings || renumbered;
    const bool restart_service = renumbered && !next.behaviour.port_mapping.empty();
    std::vector<std::string> listed =
        listed_rulesets({render_nat_rules(old), render_nat_rules(next)});
    if (restart_service) stop_port_mapping(netns_name(lab, nat));
    in_nat(lab, nat, [&] {
        renumber_outsides(was, now, moved, nat);
        const std::string what = "finishing the change of the rules of " + nat;
        NftContext nft;
        std::string live = listed_nat_table(nft);
        if (rules_differences(listed[1], live).empty()) {
            // The new rules are in already.
        } else if (rules_differences(listed[0], live).empty()) {
            nft.run(render_nat_update(old, next), what);
        } else {
            // Neither: a flush of bindings paused midway, or a hand's change.
            // The new table then learns afresh, with no flow of the old.
            nft.replace_table("ip", kNatTable, render_nat_rules(next), what);
            forget = true;
        }
        // The IPv6 table is small and learns little: put in as declared.
        const std::string ipv6 = render_ipv6_rules(next);
        if (!ipv6.empty())
            nft.replace_table("ip6", kNatTable, ipv6, what);
        else if (!nft.list_table("ip6", kNatTable).empty())
            nft.run(std::string("delete table ip6 ") + kNatTable + "\n", what);
        write_timeouts(old.behaviour, next.behaviour, what);
        if (forget) forget_everything(nft, next, what);
    });
    append_state_record(lab, state_change_record(pending.change));
    if (restart_service) run_service_again(lab, now);
}

std::size_t flush_nat(const std::string& lab, const std::string& nat) {
    LockedLab locked(lab);
    const LoadedLab& loaded = locked.loaded();
    const NatNode& node = *require_nat_node(loaded.lab, nat, "bindings to flush").nat;
    const std::string what = "flushing " + nat;
    return in_nat(lab, nat, [&] {
        NftContext nft;
        return forget_everything(nft, node, what);
    });
}

std::vector<Rebound> rebind_nat(const std::string& lab, const std::string& nat,
                                const std::string& inside) {
    LockedLab locked(lab);
    const LoadedLab& loaded = locked.loaded();
    const NatNode& node = *require_nat_node(loaded.lab, nat, "mappings to rebind").nat;
    InsideFilter who = inside.empty() ? InsideFilter{} : parse_inside_filter(loaded.lab, inside);
    if (auto refusal = rebind_refusal(node, nat); !refusal.empty())
        throw InvalidInput("natlab: " + refusal);
    const std::string what = "rebinding the mappings of " + nat;
    return in_nat(lab, nat, [&] {
        ConntrackSocket ct;
        std::vector<ConntrackFlow> flows = ct.dump(what);
        std::vector<Rebinding> moves = live_mappings(flows, who);
        std::vector<Rebound> out;
        if (moves.empty()) return out;
        std::vector<ConntrackFlow> through = flows_through(flows, moves);
        for (const auto& m : moves)
            out.push_back({m, static_cast<std::size_t>(std::count_if(
                                  through.begin(), through.end(),
                                  [&m](const ConntrackFlow& f) { return passes_through(f, m); }))});
        NftContext nft;
        paused(
            nft, render_pause(pause_matches(moves, node.external_address)),
            [&] {
                for (const auto& f : through) ct.remove(f, what);
                std::vector<StoreListing> stores;
                for (const auto& [kind, name] : nat_stores(node))
                    stores.push_back(
                        {kind, name,
                         nft.list_json("list " + kind + " ip " + kNatTable + " " + name)});
                nft.run(render_forget(stores, moves, node.behaviour.udp_unreplied_timeout) +
                            render_refresh_reset(node) + render_resume(),
                        what);
            },
            what);
        return out;
    });
}

}  // namespace natlab
