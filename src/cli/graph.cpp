#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdlib>
#include <fstream>
#include <iostream>

#include "cli/common.hpp"
#include "graph/render_graph.hpp"
#include "kernel/exec_argv.hpp"
#include "kernel/fd.hpp"
#include "util/text.hpp"

namespace natlab {
namespace {

struct GraphOptions {
    std::string file, format = "dot", output;
};

bool on_path(const std::string& program) {
    const char* path = std::getenv("PATH");
    std::string dirs = path ? path : "/usr/bin:/bin";
    for (std::size_t start = 0; start <= dirs.size();) {
        std::size_t end = dirs.find(':', start);
        if (end == std::string::npos) end = dirs.size();
        std::string dir = dirs.substr(start, end - start);
        if (::access(((dir.empty() ? "." : dir) + "/" + program).c_str(), X_OK) == 0) return true;
        start = end + 1;
    }
    return false;
}

// Graphviz draws it: the DOT text goes to 'dot -T<format>' on its stdin.
void render_with_graphviz(const std::string& dot, const std::string& format,
                          const std::string& output) {
    if (!on_path("dot")) {
        throw std::runtime_error("--format " + format +
                                 " needs Graphviz's dot: install it (apt-get install graphviz), "
                                 "or print --format dot or mermaid");
    }
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
    UniqueFd read_end(fds[0]), write_end(fds[1]);
    std::vector<std::string> argv{"dot", "-T" + format};
    if (!output.empty()) argv.insert(argv.end(), {"-o", output});
    std::cout.flush();
    pid_t child = ::fork();
    if (child < 0) throw std::runtime_error("fork failed");
    if (child == 0) {
        ::dup2(read_end.get(), STDIN_FILENO);
        exec_argv(argv, "natlab graph");
    }
    read_end.reset();
    std::size_t done = 0;
    while (done < dot.size()) {
        ssize_t n = ::write(write_end.get(), dot.data() + done, dot.size() - done);
        if (n <= 0) break;
        done += static_cast<std::size_t>(n);
    }
    write_end.reset();
    int status = 0;
    ::waitpid(child, &status, 0);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        throw std::runtime_error("dot -T" + format + " failed (its message is above)");
}

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
