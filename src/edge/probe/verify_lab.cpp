#include "edge/probe/verify_lab.hpp"

#include <algorithm>

#include "core/probe/verdict.hpp"
#include "core/topology/node_lookup.hpp"
#include "core/util/invalid_input.hpp"
#include "edge/probe/run_probe.hpp"
#include "edge/use_cases/live_lab.hpp"
#include "edge/use_cases/lock.hpp"

namespace natlab {
namespace {

nlohmann::json verify_nat(const Lab& lab, const LabNode& nat, const std::string& server,
                          std::chrono::milliseconds timeout, bool quick) {
    auto host = host_behind(lab, nat.name);
    if (!host) {
        return unmeasured_json(nat,
                               "no host has its default route to " + nat.name +
                                   ", so nothing can probe it; link a host behind it",
                               quick);
    }
    ProbeTarget target;
    try {
        target = probe_target(lab, *host, server);
    } catch (const InvalidInput& e) {
        std::string why = e.what();
        if (why.rfind("natlab: ", 0) == 0) why.erase(0, 8);
        return unmeasured_json(nat, why, quick);
    }
    NatMeasurement stun = run_probe(lab.name, target, timeout).measured;
    std::optional<ConformanceObservations> conformance;
    if (!quick) conformance = run_conformance(lab.name, target, nat.nat->behaviour, timeout);
    return verdict_json(nat, *host, stun, conformance);
}

}  // namespace

nlohmann::json verify_lab(const std::string& lab, const std::string& server,
                          std::chrono::milliseconds timeout, bool quick,
                          const std::vector<std::string>& only) {
    LoadedLab loaded = load_live_lab(lab);
    for (const auto& name : only) require_nat_node(loaded.lab, name, "a behaviour to verify");
    LabLock lock(lab);
    nlohmann::json result = {{"lab", lab}, {"nats", nlohmann::json::array()}};
    bool all = true;
    for (const auto& node : loaded.lab.nodes) {
        if (!node.nat) continue;
        if (!only.empty() && std::find(only.begin(), only.end(), node.name) == only.end()) continue;
        result["nats"].push_back(verify_nat(loaded.lab, node, server, timeout, quick));
        all = all && result["nats"].back()["match"].get<bool>();
    }
    result["all_match"] = all;
    return result;
}

}  // namespace natlab
