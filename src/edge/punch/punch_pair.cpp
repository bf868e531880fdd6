#include "edge/punch/punch_pair.hpp"

#include <chrono>

#include "core/names/netns_name.hpp"
#include "core/probe/probe_target.hpp"
#include "core/topology/node_lookup.hpp"
#include "core/util/invalid_input.hpp"
#include "edge/kernel/conntrack.hpp"
#include "edge/kernel/netns.hpp"
#include "edge/punch/hole_punch.hpp"
#include "edge/use_cases/node_netns.hpp"

namespace natlab {
namespace {

constexpr auto kWindow = std::chrono::milliseconds(1000);

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

}  // namespace

PunchRun punch_pair(const Lab& lab, const std::string& a, const std::string& b, Family family) {
    PunchRun run{{}, punch_nat(lab, a, family), punch_nat(lab, b, family), {}};
    ProbeTarget place = probe_target(lab, a, "", family);
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

PunchRun punch_hosts(const Lab& lab, const std::string& a, const std::string& b, Family family) {
    require_host(lab, a, "natlab punch");
    require_host(lab, b, "natlab punch");
    std::string nat_a = punch_nat(lab, a, family).node, nat_b = punch_nat(lab, b, family).node;
    if (nat_a == nat_b) {
        throw InvalidInput("natlab punch: " + a + " and " + b + " are both behind " + nat_a +
                           "; between them packets would need hairpinning, not hole "
                           "punching: pick two hosts behind different NATs");
    }
    return punch_pair(lab, a, b, family);
}

}  // namespace natlab
