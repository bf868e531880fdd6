// natlab matrix: hole punching between every pair of classic NAT types.
#include <CLI/CLI.hpp>
#include <iostream>

#include "cli/commands.hpp"
#include "edge/punch/matrix_run.hpp"

namespace natlab {
namespace {

struct MatrixOptions {
    bool json = false;
    std::string types = "classic";
    std::string name;
};

void run_matrix_command(const MatrixOptions& opt) {
    std::vector<MatrixType> types = parse_matrix_types(opt.types);
    MatrixResult result = run_matrix(types, opt.name);
    if (opt.json)
        std::cout << matrix_json(result.lab, result.cells).dump(2) << "\n";
    else
        std::cout << render_matrix(result.lab, types, result.cells);
    if (!agrees_with_theory(result.cells)) throw ExitRequest{kExitMismatch};
}

}  // namespace

void register_matrix(CLI::App& app) {
    auto mopt = std::make_shared<MatrixOptions>();
    auto* matrix = app.add_subcommand(
        "matrix", "Measure hole punching between every pair of NAT types, against theory (root)");
    matrix->add_flag("--json", mopt->json, "Print JSON (every pair's punch)");
    matrix
        ->add_option("--types", mopt->types,
                     "The NAT types to compare, comma-separated (default: classic)")
        ->type_name("LIST");
    matrix->add_option("--name", mopt->name, "Name of the lab it builds (default: matrix-<random>)")
        ->type_name("NAME");
    matrix->footer(
        "Builds a lab with two hosts behind a NAT of each type, punches from the first host of\n"
        "each type to the second of every type, prints the table and removes the lab. Exit\n"
        "code 3 when a cell disagrees with theory.\n"
        "Types: full-cone, restricted-cone, port-restricted-cone, symmetric, masquerade, or an\n"
        "RFC 4787 pair MAPPING/FILTERING in short (ei, ad, apd: 'ad/ei', 'apd/ei'), each with at\n"
        "most one of +preserve, +sequential, +random (port allocation) or +bare (no firewall: a\n"
        "bare Linux box). 'classic' is the four classic types; 'all' is classic, masquerade,\n"
        "masquerade+bare, the five pairs that have no classic name and symmetric+sequential.\n"
        "Theory follows natlab punch's procedure: both peers learn each other's endpoint from a\n"
        "rendezvous and send at once, and answer where they hear from. A bare box's cell may be\n"
        "a race (either result agrees); port allocation does not enter, since the procedure\n"
        "predicts no ports (a sequential NAT is predictable, and the table says so).\n"
        "Examples:\n"
        "  natlab matrix\n"
        "  natlab matrix --types masquerade,masquerade+bare,symmetric+sequential --name mx\n"
        "  natlab matrix --types all --json");
    matrix->callback([mopt] { run_matrix_command(*mopt); });
}

}  // namespace natlab
