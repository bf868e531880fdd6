#include "edge/lab/change_nat.hpp"

#include "core/lab/live_changes.hpp"
#include "core/names/netns_name.hpp"
#include "core/nat/render_nft.hpp"
#include "core/topology/node_lookup.hpp"
#include "core/util/invalid_input.hpp"
#include "core/util/text.hpp"
#include "edge/kernel/conntrack.hpp"
#include "edge/kernel/netns.hpp"
#include "edge/kernel/nft.hpp"
#include "edge/kernel/sysctl.hpp"
#include "edge/lab/live_lab.hpp"
#include "edge/lab/lock.hpp"
#include "edge/lab/node_netns.hpp"
#include "edge/lab/state_store.hpp"

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
            ct.flush_ipv4(what);
            nft.run(render_nat_reset(node) + render_resume(), what);
        },
        what);
    return flows;
}

}  // namespace

NatBehaviour set_nat(const std::string& lab, const std::string& nat, const NatSettings& settings,
                     Bindings bindings) {
    LabLock lock(lab);
    LoadedLab before = load_live_lab(lab);
    const NatNode& old =
        *require_nat_node(before.lab, nat, "NAT keys (a link end is NODE:IFACE)").nat;
    auto state = load_state(lab);
    std::vector<LiveChange> changes = state->changes;
    std::string copy = load_topology_copy(lab);
    auto problems = nat_settings_problems(copy, state->source, lab, changes, nat, settings);
    if (!problems.empty()) throw InvalidInput("natlab: " + join(problems, "\nnatlab: "));
    LiveChange change{nat, "", std::nullopt, std::nullopt, nat_settings_words(settings)};
    changes.push_back(change);
    LoadedLab after = load_changed_lab(copy, state->source, lab, changes);
    const NatNode& next = *after.lab.find_node(nat)->nat;
    const std::string what = "changing the rules of " + nat;
    in_nat(lab, nat, [&] {
        write_timeouts(old.behaviour, next.behaviour, what);
        NftContext nft;
        nft.run(render_nat_update(old, next), what);
        if (bindings == Bindings::drop) forget_everything(nft, next, what);
    });
    append_state_record(lab, state_change_record(change));
    return next.behaviour;
}

std::size_t flush_nat(const std::string& lab, const std::string& nat) {
    LabLock lock(lab);
    LoadedLab loaded = load_live_lab(lab);
    const NatNode& node = *require_nat_node(loaded.lab, nat, "bindings to flush").nat;
    const std::string what = "flushing " + nat;
    return in_nat(lab, nat, [&] {
        NftContext nft;
        return forget_everything(nft, node, what);
    });
}

std::vector<Rebound> rebind_nat(const std::string& lab, const std::string& nat,
                                const std::string& inside) {
    LabLock lock(lab);
    LoadedLab loaded = load_live_lab(lab);
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
        for (const auto& m : moves) {
            Rebound r{m, 0};
            for (const auto& f : through)
                r.flows += f.protocol == m.protocol &&
                           (f.original.src == m.inside || f.reply.src == m.inside);
            out.push_back(r);
        }
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
                            render_resume(),
                        what);
            },
            what);
        return out;
    });
}

}  // namespace natlab
