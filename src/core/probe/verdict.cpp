#include "core/probe/verdict.hpp"

#include "core/nat/ipv6_classes.hpp"
#include "core/probe/probe_report.hpp"
#include "core/util/json.hpp"

namespace natlab {
namespace {

using nlohmann::json;

std::string ownership_name(bool exclusive) {
    return exclusive ? "exclusive" : "overloaded";
}

std::string race_name(bool kept) {
    return kept ? "mapping kept" : "mapping lost";
}

json declared_conformance(const NatBehaviour& b) {
    return {{"allocation", name_of(b.allocation)},
            // The kernel's plain masquerade overloads: it keeps tuples apart,
            // so one port serves two inside endpoints bound for different
            // destinations (RFC 4787 section 4.2.1 says a NAT must not).
            {"port_ownership", ownership_name(!b.plain_masquerade())},
            {"race", race_name(race_keeps_mapping(b))},
            {"tcp_mapping", name_of(b.mf.mapping)},
            {"tcp_filtering", name_of(b.mf.filtering)},
            {"lifetime", declared_lifetime(b)}};
}

// Pooling is a property of NATs with a pool only: the others have one
// external address and nothing to spread.
void add_pooling(json& declared, json& measured, const NatBehaviour& b,
                 const std::vector<OwnershipSample>& samples) {
    if (!b.pooled()) return;
    declared["pooling"] = name_of(b.pooling);
    auto pooling = judge_pooling(samples);
    measured["pooling"] = pooling ? json(name_of(*pooling)) : json(nullptr);
}

json measured_tcp_mapping(const TcpObservations& t) {
    if (!t.mapped_primary || !t.mapped_alt_ip || !t.mapped_alt_both) return nullptr;
    return name_of(mapping_from(*t.mapped_primary, *t.mapped_alt_ip, *t.mapped_alt_both));
}

json measured_tcp_filtering(const TcpObservations& t) {
    if (!t.mapped_primary) return nullptr;
    return name_of(filtering_from(t.inbound_from_other_address, t.inbound_from_other_port));
}

json measured_conformance(const ConformanceObservations& c, const NatBehaviour& b,
                          const MappingFiltering& measured) {
    return {
        {"allocation", c.allocation.empty()
                           ? json(nullptr)
                           : json(name_of(judge_allocation(c.allocation, b.allocation_range())))},
        {"port_ownership", ownership_name(judge_ownership(c.ownership).shared == 0)},
        {"race", race_name(race_kept_mapping(c.race, measured))},
        {"tcp_mapping", measured_tcp_mapping(c.tcp)},
        {"tcp_filtering", measured_tcp_filtering(c.tcp)},
        {"lifetime", c.lifetime.waited ? json(judge_lifetime(c.lifetime)) : json(nullptr)}};
}

json declared(const LabNode& nat, const NatBehaviour& b, bool quick) {
    json d = behaviour_json(b.mf, b.hairpinning, b.port_preservation());
    if (!quick) d.update(declared_conformance(b));
    return {{"nat", nat.name},
            {"type", b.type ? json(name_of(*b.type)) : json(nullptr)},
            {"declared", d}};
}

}  // namespace

std::vector<std::string> verified_properties(bool quick) {
    std::vector<std::string> properties = {"translation", "mapping", "filtering", "hairpinning",
                                           "port_preservation"};
    if (!quick) {
        for (const char* p : {"allocation", "port_ownership", "pooling", "race", "tcp_mapping",
                              "tcp_filtering", "lifetime"})
            properties.emplace_back(p);
    }
    return properties;
}

namespace {

json judged(json j, const NatBehaviour& b, const std::string& host, const NatMeasurement& m,
            const std::optional<ConformanceObservations>& c) {
    j["host"] = host;
    j["measured"] = behaviour_json(m.mf, m.hairpinning, m.port_preservation);
    if (c) {
        j["measured"].update(measured_conformance(*c, b, m.mf));
        add_pooling(j["declared"], j["measured"], b, c->ownership);
        Ownership o = judge_ownership(c->ownership);
        j["ownership"] = {{"endpoints", o.endpoints}, {"mapped", o.mapped}, {"shared", o.shared}};
        const RaceObservations& r = c->race;
        j["race_seen"] = {{"mapped_before", r.mapped_before},
                          {"early_arrived", r.early_arrived},
                          {"peer_saw", or_null(r.peer_saw)},
                          {"answer_arrived", r.answer_arrived},
                          {"mapped_after", or_null(r.mapped_after)}};
    }
    return j;
}

json with_mismatches(json j, bool quick) {
    json mismatches = json::array();
    for (const auto& p : verified_properties(quick))
        if (j["declared"].contains(p) && j["measured"].contains(p) && !j["measured"][p].is_null() &&
            j["declared"][p] != j["measured"][p])
            mismatches.push_back(p);
    j["mismatches"] = mismatches;
    j["match"] = mismatches.empty();
    return j;
}

// The IPv6 side's declared properties: translation first, and only those
// its mode has (hairpinning where nat66 translates; a lifetime where
// something filters, since an open side has no filter state to expire).
json declared_ipv6(const LabNode& nat, bool quick) {
    const Ipv6Side& side = *nat.nat->ipv6;
    json j = declared(nat, ipv6_effective_behaviour(side), quick);
    j["type"] = side.mode == Ipv6Mode::nat66 ? j["type"] : json(nullptr);
    j["family"] = "ipv6";
    j["ipv6_mode"] = name_of(side.mode);
    json& d = j["declared"];
    d["translation"] = ipv6_translates(side) ? "address" : "none";
    if (side.mode != Ipv6Mode::nat66) d.erase("hairpinning");
    if (!ipv6_filters(side)) d.erase("lifetime");
    d.erase("classic");
    return j;
}

}  // namespace

json verdict_json(const LabNode& nat, const std::string& host, const NatMeasurement& m,
                  const std::optional<ConformanceObservations>& c) {
    const NatBehaviour& b = nat.nat->behaviour;
    return with_mismatches(judged(declared(nat, b, !c), b, host, m, c), !c);
}

json unmeasured_json(const LabNode& nat, const std::string& why, bool quick) {
    json j = declared(nat, nat.nat->behaviour, quick);
    j["match"] = false;
    j["error"] = why;
    return j;
}

json ipv6_verdict_json(const LabNode& nat, const std::string& host, const NatMeasurement& m,
                       const std::optional<ConformanceObservations>& c) {
    const NatBehaviour b = ipv6_effective_behaviour(*nat.nat->ipv6);
    json j = judged(declared_ipv6(nat, !c), b, host, m, c);
    j["measured"]["translation"] = m.behind_nat ? "address" : "none";
    j["mapped"] = m.mapped.str();
    // What the mode does not have is not measured either.
    for (const auto& p : verified_properties(!c))
        if (!j["declared"].contains(p)) j["measured"].erase(p);
    j["measured"].erase("classic");
    return with_mismatches(j, !c);
}

json ipv6_unmeasured_json(const LabNode& nat, const std::string& why, bool quick) {
    json j = declared_ipv6(nat, quick);
    j["match"] = false;
    j["error"] = why;
    return j;
}

}  // namespace natlab
