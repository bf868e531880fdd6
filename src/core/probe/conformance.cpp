#include "core/probe/conformance.hpp"

#include <algorithm>
#include <map>
#include <set>

namespace natlab {

Ownership judge_ownership(const std::vector<OwnershipSample>& samples) {
    Ownership o;
    std::map<Endpoint, std::set<Endpoint>> owners;  // external -> inside endpoints
    for (const auto& s : samples) {
        ++o.endpoints;
        if (!s.seen) continue;
        ++o.mapped;
        owners[*s.seen].insert(s.inside);
    }
    for (const auto& [external, inside] : owners) o.shared += inside.size() > 1 ? 1 : 0;
    return o;
}

std::optional<Pooling> judge_pooling(const std::vector<OwnershipSample>& samples) {
    std::map<IpAddress, std::set<IpAddress>> external;  // inside address -> external addresses
    std::map<IpAddress, int> mapped;
    for (const auto& s : samples) {
        if (!s.seen) continue;
        external[s.inside.ip].insert(s.seen->ip);
        ++mapped[s.inside.ip];
    }
    bool judged = false;
    for (const auto& [inside, addresses] : external) {
        if (addresses.size() > 1) return Pooling::arbitrary;
        judged |= mapped[inside] > 1;
    }
    return judged ? std::optional(Pooling::paired) : std::nullopt;
}

PortAllocation judge_allocation(const std::vector<AllocationSample>& series, PortRange range) {
    bool preserved = !series.empty(), sequential = series.size() > 1;
    for (std::size_t i = 0; i < series.size(); ++i) {
        preserved = preserved && series[i].external_port == series[i].inside_port;
        if (i == 0) continue;
        int previous = series[i - 1].external_port;
        int next = previous == range.last ? range.first : previous + 1;
        sequential = sequential && series[i].external_port == next;
    }
    if (preserved) return PortAllocation::preserve;
    return sequential ? PortAllocation::sequential : PortAllocation::random;
}

bool race_kept_mapping(const RaceObservations& seen, const MappingFiltering& measured) {
    using enum Dependence;
    if (seen.early_arrived != (measured.filtering == endpoint_independent)) return false;
    if (!seen.peer_saw || !seen.answer_arrived) return false;
    if (seen.mapped_after != seen.mapped_before) return false;
    return measured.mapping != endpoint_independent || *seen.peer_saw == seen.mapped_before;
}

bool race_keeps_mapping(const NatBehaviour& b) {
    return b.firewall || b.mf.filtering == Dependence::endpoint_independent ||
           b.mf.mapping != Dependence::endpoint_independent;
}

namespace {

std::string judge_sample(const LifetimeSample& s) {
    if (!s.alive_before) return "under " + std::to_string(s.declared_s - kLifetimeMargin) + " s";
    if (s.alive_after) return "over " + std::to_string(s.declared_s + kLifetimeMargin) + " s";
    return std::to_string(s.declared_s) + " s";
}

}  // namespace

bool lifetime_waitable(const NatBehaviour& b) {
    if (b.one_to_one) return false;
    auto waitable = [](int seconds) {
        return seconds > kLifetimeMargin && seconds <= kLongestLifetimeWaited;
    };
    return waitable(b.udp_unreplied_timeout) && waitable(b.udp_established_timeout);
}

std::string judge_lifetime(const LifetimeObservations& seen) {
    return judge_sample(seen.answered_once) + "; stream " + judge_sample(seen.stream);
}

std::string declared_lifetime(const NatBehaviour& b) {
    if (b.one_to_one) return "static";  // nothing expires: there is nothing to wait for
    return std::to_string(b.udp_unreplied_timeout) + " s; stream " +
           std::to_string(b.udp_established_timeout) + " s";
}

}  // namespace natlab
