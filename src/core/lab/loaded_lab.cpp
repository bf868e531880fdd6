#include "core/lab/loaded_lab.hpp"

#include <fstream>
#include <sstream>

#include "core/topology/emit_yaml.hpp"
#include "core/topology/load.hpp"
#include "core/topology/validate.hpp"
#include "core/util/text.hpp"

namespace natlab {

namespace {

// Validates even after load problems, so that every problem is reported at once.
LoadedLab validate_and_plan(Topology& topo, std::string text, Diagnostics& diag,
                            const std::string& name_override) {
    if (!name_override.empty()) {
        check_lab_name(name_override);
        topo.name.value = name_override;
    }
    std::optional<Lab> lab = validate(topo, diag);
    throw_if_problems(diag, topo.file);
    Plan plan = make_plan(*lab);
    return LoadedLab{topo.file, std::move(text), std::move(*lab), std::move(plan)};
}

}  // namespace

LoadedLab load_lab_text(const std::string& text, const std::string& path,
                        const std::string& name_override) {
    Diagnostics diag(path);
    Topology topo = load_topology(text, path, diag);
    return validate_and_plan(topo, text, diag, name_override);
}

LoadedLab load_lab_topology(Topology topo, const std::string& name_override) {
    Diagnostics diag(topo.file);
    if (!name_override.empty()) topo.name.value = name_override;
    std::string text = emit_yaml(topo);
    return validate_and_plan(topo, std::move(text), diag, name_override);
}

LoadedLab load_lab_file(const std::string& path, const std::string& name_override) {
    std::ifstream in(path);
    if (!in)
        throw InvalidInput("natlab: cannot read topology file " + quote(path) + ": check the path");
    std::ostringstream text;
    text << in.rdbuf();
    return load_lab_text(text.str(), path, name_override);
}

void throw_if_problems(const Diagnostics& diag, const std::string& path) {
    if (diag.empty()) return;
    std::string count = std::to_string(diag.size()) + (diag.size() == 1 ? " problem" : " problems");
    throw InvalidInput(diag.render() + "natlab: " + count + " in " + path + "; nothing was done");
}

void check_lab_name(const std::string& lab) {
    if (auto problem = name_problem(lab); !problem.empty()) {
        throw InvalidInput("natlab: lab name " + quote(lab) + " " + problem);
    }
}

}  // namespace natlab
