#include "edge/probe/verify_lab.hpp"

#include "core/probe/verdict.hpp"
#include "core/util/invalid_input.hpp"
#include "edge/lab/live_lab.hpp"
#include "edge/lab/lock.hpp"
#include "edge/probe/run_probe.hpp"

namespace natlab {
namespace {

nlohmann::json verify_nat(const Lab& lab, const LabNode& nat, const std::string& server,
                          std::chrono::milliseconds timeout) {
    auto host = host_behind(lab, nat.name);
    if (!host) {
        return unmeasured_json(nat, "no host has its default route to " + nat.name +
                                        ", so nothing can probe it; link a host behind it");
    }
    ProbeTarget target;
    try {
        target = probe_target(lab, *host, server);
    } catch (const InvalidInput& e) {
        std::string why = e.what();
        if (why.rfind("natlab: ", 0) == 0) why.erase(0, 8);
        return unmeasured_json(nat, why);
    }
    return verdict_json(nat, *host, run_probe(lab.name, target, timeout).measured);
}

}  // namespace

nlohmann::json verify_lab(const std::string& lab, const std::string& server,
                          std::chrono::milliseconds timeout) {
    LoadedLab loaded = load_live_lab(lab);
    LabLock lock(lab);
    nlohmann::json result = {{"lab", lab}, {"nats", nlohmann::json::array()}};
    bool all = true;
    for (const auto& node : loaded.lab.nodes) {
        if (!node.nat) continue;
        result["nats"].push_back(verify_nat(loaded.lab, node, server, timeout));
        all = all && result["nats"].back()["match"].get<bool>();
    }
    result["all_match"] = all;
    return result;
}

}  // namespace natlab
