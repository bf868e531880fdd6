#include <CLI/CLI.hpp>
#include <filesystem>

#include "cli/commands.hpp"
#include "cli/output.hpp"
#include "core/lifecycle/loaded_lab.hpp"
#include "core/render/render_graph.hpp"
#include "edge/render/graphviz.hpp"
#include "edge/use_cases/dhcp_leases.hpp"
#include "edge/use_cases/state_store.hpp"

namespace natlab {
namespace {

struct GraphOptions {
    std::string file, format = "dot", output;
};

// A live lab by its name, with the leases its DHCP clients hold, when no
// file has that name.
LoadedLab load_for_graph(const std::string& file) {
    std::error_code ec;
    if (!std::filesystem::exists(file, ec) && file.find('/') == std::string::npos &&
        load_state(file))
        return load_leased_lab(file);
    return load_lab_file(file);
}

void run_graph(const GraphOptions& opt) {
    LoadedLab loaded = load_for_graph(opt.file);
    if (opt.format == "svg" || opt.format == "png")
        return render_with_graphviz(render_dot(loaded.lab), opt.format, opt.output);
    write_output(opt.format == "mermaid" ? render_mermaid(loaded.lab) : render_dot(loaded.lab),
                 opt.output);
}

}  // namespace

void register_graph(CLI::App& app) {
    auto opt = std::make_shared<GraphOptions>();
    auto* cmd = app.add_subcommand("graph", "Draw a topology: DOT, Mermaid, SVG or PNG");
    cmd->add_option("file", opt->file,
                    "Topology file (YAML), or the name of a live lab: drawn with the leases "
                    "its DHCP clients hold")
        ->required()
        ->type_name("LAB.yaml");
    cmd->add_option("--format", opt->format, "dot (default), mermaid, svg or png (with Graphviz)")
        ->check(format_choice({"dot", "mermaid", "svg", "png"}));
    cmd->add_option("-o,--output", opt->output, "Write to this file instead of stdout");
    cmd->footer(
        "Every node is a table: its name and kind (a NAT: its type, preset, mapping and\n"
        "filtering classes, port allocation, IPv6 side, NAT64 prefix and the rest it\n"
        "declares; the lab's DNS server and its DNS64 prefix on the node that runs it), then\n"
        "a row per\n"
        "interface with its addresses, what that end sends through (delay, loss, rate) and\n"
        "its MTU. A NAT's inside is blue, its outside orange, rows and links alike, with the\n"
        "public side drawn left. The legend below says in words what EI, AD and APD mapping\n"
        "and filtering mean. Mermaid says the same on its links and in a legend subgraph.\n"
        "An interface that takes its address by DHCP says 'DHCP from SERVER'; given a live\n"
        "lab's name instead of a file, it shows the address it leases and for how long. A\n"
        "serving interface shows its range and lease time.\n"
        "Needs no root. Examples:\n"
        "  natlab graph labs/two-nat.yaml --format svg -o two-nat.svg\n"
        "  natlab graph labs/nat-types.yaml --format png -o nat-types.png\n"
        "  natlab graph labs/nat-types.yaml --format mermaid >> README.md");
    cmd->callback([opt] { run_graph(*opt); });
}

}  // namespace natlab
