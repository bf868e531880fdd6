#include "core/probe/probe_report.hpp"

namespace natlab {

std::string yes_no(bool value) {
    return value ? "yes" : "no";
}

nlohmann::json behaviour_json(const MappingFiltering& mf, bool hairpinning,
                              bool port_preservation) {
    return {{"mapping", name_of(mf.mapping)},
            {"filtering", name_of(mf.filtering)},
            {"hairpinning", hairpinning},
            {"port_preservation", port_preservation},
            {"classic", classic_name(mf)}};
}

nlohmann::json report_json(const std::string& lab, const ProbeReport& r) {
    const auto& m = r.measured;
    return {{"lab", lab},
            {"host", r.target.host},
            {"nat", r.target.nat},
            {"server",
             {{"node", r.target.server_node},
              {"primary", r.server_primary.str()},
              {"alternate", r.server_alternate.str()}}},
            {"local", r.local.str()},
            {"mapped", m.mapped.str()},
            {"behind_nat", m.behind_nat},
            {"measured", behaviour_json(m.mf, m.hairpinning, m.port_preservation)}};
}

}  // namespace natlab
