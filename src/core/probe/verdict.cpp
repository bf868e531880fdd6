#include "core/probe/verdict.hpp"

#include "core/probe/probe_report.hpp"

namespace natlab {
namespace {

using nlohmann::json;

json declared(const LabNode& nat) {
    const NatBehaviour& b = nat.nat->behaviour;
    return {{"nat", nat.name},
            {"type", b.type ? json(name_of(*b.type)) : json(nullptr)},
            {"declared", behaviour_json(b.mf, b.hairpinning, b.port_preservation())}};
}

}  // namespace

const std::vector<std::string>& verified_properties() {
    static const std::vector<std::string> properties = {"mapping", "filtering", "hairpinning",
                                                        "port_preservation"};
    return properties;
}

json verdict_json(const LabNode& nat, const std::string& host, const NatMeasurement& m) {
    json j = declared(nat);
    j["host"] = host;
    j["measured"] = behaviour_json(m.mf, m.hairpinning, m.port_preservation);
    json mismatches = json::array();
    for (const auto& p : verified_properties())
        if (j["declared"][p] != j["measured"][p]) mismatches.push_back(p);
    j["mismatches"] = mismatches;
    j["match"] = mismatches.empty();
    return j;
}

json unmeasured_json(const LabNode& nat, const std::string& why) {
    json j = declared(nat);
    j["match"] = false;
    j["error"] = why;
    return j;
}

}  // namespace natlab
