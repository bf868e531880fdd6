#pragma once
// How probe results read, as text and as JSON; shared by probe and verify.
#include <nlohmann/json.hpp>
#include <string>

#include "edge/probe/run_probe.hpp"

namespace CLI {
class App;
}

namespace natlab {

std::string yes_no(bool value);
// mapping, filtering, hairpinning, port_preservation and the classic name.
nlohmann::json behaviour_json(const MappingFiltering& mf, bool hairpinning, bool port_preservation);
nlohmann::json report_json(const std::string& lab, const ProbeReport& report);

// --server, --timeout and --json, as probe and verify both take them.
void add_probe_options(CLI::App& cmd, std::string& server, int& timeout_ms, bool& json);

}  // namespace natlab
