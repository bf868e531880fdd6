// natlab matrix: hole punching between every pair of classic NAT types.
#include <CLI/CLI.hpp>
#include <iostream>

#include "cli/commands.hpp"
#include "edge/punch/matrix_run.hpp"

namespace natlab {
namespace {

struct MatrixOptions {
    bool json = false;
};

void run_matrix_command(const MatrixOptions& opt) {
    MatrixResult result = run_matrix();
    if (opt.json)
        std::cout << matrix_json(result.lab, result.cells).dump(2) << "\n";
    else
        std::cout << render_matrix(result.lab, result.cells);
    if (!agrees_with_theory(result.cells)) throw ExitRequest{kExitMismatch};
}

}  // namespace

void register_matrix(CLI::App& app) {
    auto mopt = std::make_shared<MatrixOptions>();
    auto* matrix = app.add_subcommand(
        "matrix", "Measure hole punching between every pair of NAT types, against theory (root)");
    matrix->add_flag("--json", mopt->json, "Print JSON (every pair's punch)");
    matrix->footer(
        "Builds a lab with two hosts behind each classic NAT type (full cone, restricted cone,\n"
        "port-restricted cone, symmetric), punches between every pair, prints the table and\n"
        "removes the lab. Exit code 3 when a cell disagrees with theory.\n"
        "Example:\n"
        "  natlab matrix");
    matrix->callback([mopt] { run_matrix_command(*mopt); });
}

}  // namespace natlab
