#include <CLI/CLI.hpp>
#include <fstream>
#include <iostream>

#include "cli/commands.hpp"
#include "core/lab/loaded_lab.hpp"
#include "core/render/render_graph.hpp"
#include "edge/render/graphviz.hpp"

namespace natlab {
namespace {

struct GraphOptions {
    std::string file, format = "dot", output;
};

void run_graph(const GraphOptions& opt) {
    LoadedLab loaded = load_lab_file(opt.file);
    if (opt.format == "svg" || opt.format == "png")
        return render_with_graphviz(render_dot(loaded.lab), opt.format, opt.output);
    std::string text =
        opt.format == "mermaid" ? render_mermaid(loaded.lab) : render_dot(loaded.lab);
    if (opt.output.empty()) {
        std::cout << text;
        return;
    }
    std::ofstream out(opt.output);
    out << text;
    if (!out.flush()) throw std::runtime_error("writing " + opt.output + " failed");
}

}  // namespace

void register_graph(CLI::App& app) {
    auto opt = std::make_shared<GraphOptions>();
    auto* cmd = app.add_subcommand("graph", "Draw a topology: DOT, Mermaid, SVG or PNG");
    cmd->add_option("file", opt->file, "Topology file (YAML)")->required()->type_name("LAB.yaml");
    cmd->add_option("--format", opt->format, "dot (default), mermaid, svg or png (with Graphviz)")
        ->check(CLI::IsMember({"dot", "mermaid", "svg", "png"}));
    cmd->add_option("-o,--output", opt->output, "Write to this file instead of stdout");
    cmd->footer(
        "Nodes by kind (host: rounded box, router: ellipse, NAT: hexagon with its behaviour,\n"
        "switch: 3-D box); every link with the interface names and addresses at both ends.\n"
        "Needs no root. Examples:\n"
        "  natlab graph labs/two-nat.yaml --format svg -o two-nat.svg\n"
        "  natlab graph labs/nat-types.yaml --format mermaid >> README.md");
    cmd->callback([opt] { run_graph(*opt); });
}

}  // namespace natlab
