#include "edge/probe/verify_lab.hpp"

#include <algorithm>

#include "core/nat/ipv6_classes.hpp"
#include "core/probe/verdict.hpp"
#include "core/topology/node_lookup.hpp"
#include "core/util/invalid_input.hpp"
#include "core/util/text.hpp"
#include "edge/probe/run_probe.hpp"
#include "edge/use_cases/live_lab.hpp"
#include "edge/use_cases/lock.hpp"

namespace natlab {
namespace {

nlohmann::json verify_nat(const Lab& lab, const LabNode& nat, const std::string& server,
                          std::chrono::milliseconds timeout, bool quick, Family family) {
    const bool v6 = family == Family::ipv6;
    auto unmeasured = [&](const std::string& why) {
        return v6 ? ipv6_unmeasured_json(nat, why, quick) : unmeasured_json(nat, why, quick);
    };
    auto host = host_behind(lab, nat.name, family);
    if (!host) {
        return unmeasured(std::string("no host has its ") + (v6 ? "IPv6 " : "") +
                          "default route to " + nat.name +
                          ", so nothing can probe it; link a host behind it");
    }
    ProbeTarget target;
    try {
        target = probe_target(lab, *host, server, family);
    } catch (const InvalidInput& e) {
        std::string why = e.what();
        if (why.rfind("natlab: ", 0) == 0) why.erase(0, 8);
        return unmeasured(why);
    }
    NatMeasurement stun = run_probe(lab.name, target, timeout).measured;
    const NatBehaviour declared =
        v6 ? ipv6_effective_behaviour(*nat.nat->ipv6) : nat.nat->behaviour;
    std::optional<ConformanceObservations> conformance;
    if (!quick) conformance = run_conformance(lab.name, target, declared, timeout);
    return v6 ? ipv6_verdict_json(nat, *host, stun, conformance)
              : verdict_json(nat, *host, stun, conformance);
}

}  // namespace

nlohmann::json verify_lab(const std::string& lab, const std::string& server,
                          std::chrono::milliseconds timeout, bool quick,
                          const std::vector<std::string>& only, Family family) {
    LoadedLab loaded = load_live_lab(lab);
    const bool v6 = family == Family::ipv6;
    for (const auto& name : only) {
        const LabNode& nat = require_nat_node(loaded.lab, name, "a behaviour to verify");
        if (v6 && !nat.nat->ipv6) {
            throw InvalidInput("natlab verify: nat node " + quote(name) +
                               " has no IPv6 side (its outside interface has no IPv6 "
                               "address); verify it without --ipv6");
        }
    }
    // Over IPv6, the NATs that have an IPv6 side: the others pass none.
    auto measured = [&](const LabNode& node) {
        if (!node.nat || (v6 && !node.nat->ipv6)) return false;
        return only.empty() || std::find(only.begin(), only.end(), node.name) != only.end();
    };
    if (v6 && std::none_of(loaded.lab.nodes.begin(), loaded.lab.nodes.end(), measured)) {
        throw InvalidInput("natlab verify: no nat node of lab " + lab +
                           " has IPv6 on its outside interface, so there is no IPv6 side to "
                           "verify; give a NAT's outside link an IPv6 subnet");
    }
    LabLock lock(lab);
    nlohmann::json result = {
        {"lab", lab}, {"family", v6 ? "ipv6" : "ipv4"}, {"nats", nlohmann::json::array()}};
    bool all = true;
    for (const auto& node : loaded.lab.nodes) {
        if (!measured(node)) continue;
        result["nats"].push_back(verify_nat(loaded.lab, node, server, timeout, quick, family));
        all = all && result["nats"].back()["match"].get<bool>();
    }
    result["all_match"] = all;
    return result;
}

}  // namespace natlab
