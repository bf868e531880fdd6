#pragma once
// A topology file taken all the way to a plan: read, load, validate, plan.
// Pure apart from reading the file.
#include <string>

#include "core/plan/plan.hpp"
#include "core/topology/lab.hpp"
#include "core/topology/model.hpp"
#include "core/util/invalid_input.hpp"

namespace natlab {

struct LoadedLab {
    std::string path;  // as given
    std::string text;  // the file's contents
    Lab lab;
    Plan plan;
};

// Throws InvalidInput listing every problem. A non-empty name_override
// replaces the file's lab name.
LoadedLab load_lab_text(const std::string& text, const std::string& path,
                        const std::string& name_override = "");
// The largest topology file natlab reads: far above any real lab, far below
// what would take long to parse.
inline constexpr std::size_t kMaxTopologyBytes = 16u << 20;

// Throws InvalidInput also for what is not a regular file, or is larger than
// kMaxTopologyBytes.
LoadedLab load_lab_file(const std::string& path, const std::string& name_override = "");
// A loaded topology validated and planned: `text` is kept as the lab's copy.
// Validates even after load problems (in `diag`), so that every problem is
// reported at once; throws InvalidInput listing them.
LoadedLab plan_topology(Topology& topo, std::string text, Diagnostics& diag,
                        const std::string& name_override = "");
// A topology built as data (its `file` names it in messages); its text is the
// topology written out as YAML (emit_yaml), kept as the lab's copy.
LoadedLab load_lab_topology(Topology topo, const std::string& name_override = "");

// Throws InvalidInput listing every problem, when there are any.
void throw_if_problems(const Diagnostics& diag, const std::string& path);

// Throws InvalidInput unless the lab name is usable.
void check_lab_name(const std::string& lab);

}  // namespace natlab
