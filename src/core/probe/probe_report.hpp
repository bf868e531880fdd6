#pragma once
// What one probe found, and how it reads as JSON (probe --json, verify --json).
#include <nlohmann/json.hpp>
#include <string>

#include "core/probe/classify.hpp"
#include "core/probe/probe_target.hpp"

namespace natlab {

struct ProbeReport {
    ProbeTarget target;
    Endpoint server_primary, server_alternate;
    Endpoint local;  // the client's first socket
    NatMeasurement measured;
};

std::string yes_no(bool value);
// BEHAVIOUR: mapping, filtering, hairpinning, port_preservation and the classic name.
nlohmann::json behaviour_json(const MappingFiltering& mf, bool hairpinning, bool port_preservation);
nlohmann::json report_json(const std::string& lab, const ProbeReport& report);

}  // namespace natlab
