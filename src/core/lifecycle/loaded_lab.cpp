#include "core/lifecycle/loaded_lab.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/topology/emit_yaml.hpp"
#include "core/topology/load.hpp"
#include "core/topology/validate.hpp"
#include "core/util/text.hpp"

namespace natlab {

// Validates even after load problems, so that every problem is reported at once.
LoadedLab plan_topology(Topology& topo, std::string text, Diagnostics& diag,
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

LoadedLab load_lab_text(const std::string& text, const std::string& path,
                        const std::string& name_override) {
    Diagnostics diag(path);
    Topology topo = load_topology(text, path, diag);
    return plan_topology(topo, text, diag, name_override);
}

LoadedLab load_lab_topology(Topology topo, const std::string& name_override) {
    Diagnostics diag(topo.file);
    if (!name_override.empty()) topo.name.value = name_override;
    std::string text = emit_yaml(topo);
    return plan_topology(topo, std::move(text), diag, name_override);
}

namespace {

namespace fs = std::filesystem;

// What a path is when it is not a regular file: "a directory", ...
std::string not_a_file(fs::file_type type) {
    switch (type) {
        case fs::file_type::directory:
            return "a directory";
        case fs::file_type::character:
            return "a character device";
        case fs::file_type::block:
            return "a block device";
        case fs::file_type::fifo:
            return "a pipe";
        case fs::file_type::socket:
            return "a socket";
        default:
            return "not a regular file";
    }
}

// The file's text, refusing what is not a regular file or is too large to
// be a topology (reading /dev/zero would never end).
std::string read_topology_file(const std::string& path) {
    std::error_code ec;
    auto status = fs::status(path, ec);
    if (ec || status.type() == fs::file_type::not_found)
        throw InvalidInput("natlab: cannot read topology file " + quote(path) + ": check the path");
    if (status.type() != fs::file_type::regular)
        throw InvalidInput("natlab: " + quote(path) + " is " + not_a_file(status.type()) +
                           ", not a topology file; give the path of a YAML file");
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw InvalidInput("natlab: cannot read topology file " + quote(path) + ": check the path");
    // Read in pieces up to one byte past the limit: a buffer of the whole
    // limit would cost every command 16 MiB of zeroed pages (18 ms).
    std::string text;
    char piece[64 * 1024];
    while (text.size() <= kMaxTopologyBytes && in.read(piece, sizeof piece).gcount() > 0)
        text.append(piece, static_cast<std::size_t>(in.gcount()));
    if (text.size() > kMaxTopologyBytes)
        throw InvalidInput("natlab: " + quote(path) + " is larger than " +
                           std::to_string(kMaxTopologyBytes >> 20) +
                           " MiB, the most a topology file may hold (a lab of 10,000 nodes takes "
                           "under 1 MiB); check that it is the file you meant");
    return text;
}

}  // namespace

LoadedLab load_lab_file(const std::string& path, const std::string& name_override) {
    return load_lab_text(read_topology_file(path), path, name_override);
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
