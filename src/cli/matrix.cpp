// natlab matrix: hole punching between every pair of NAT types, as a table,
// JSON or a picture; or a table a run wrote, drawn again.
#include <CLI/CLI.hpp>

#include "cli/commands.hpp"
#include "cli/output.hpp"
#include "core/punch/matrix_picture.hpp"
#include "core/punch/matrix_read.hpp"
#include "core/util/invalid_input.hpp"
#include "core/util/text.hpp"
#include "edge/punch/matrix_run.hpp"
#include "edge/system/user_file.hpp"

namespace natlab {
namespace {

struct MatrixOptions {
    bool json = false;
    std::string format = "text";
    bool format_given = false;
    bool types_given = false;
    std::string types = "classic";
    std::string name, output, from_json;
    bool ipv6 = false;
};

// The largest --from-json file natlab reads: far above a table of every NAT
// type, far below what would take long to parse.
constexpr std::size_t kMaxMatrixBytes = 4u << 20;

// A file matrix --json wrote: the document, and the table in it.
std::pair<nlohmann::json, MatrixTable> read_saved(const std::string& path) {
    std::string text = read_user_file(path, {"natlab matrix", "--from-json", "a matrix file",
                                             "a file 'natlab matrix --json' wrote", kMaxMatrixBytes,
                                             "a matrix of 5 NAT types takes 20 KiB"});
    nlohmann::json doc = nlohmann::json::parse(text, nullptr, false);
    if (doc.is_discarded())
        throw InvalidInput("natlab matrix: " + path +
                           " is not JSON; give a file that 'natlab matrix --json' wrote");
    MatrixTable table = read_matrix_json(doc, path);
    return {std::move(doc), std::move(table)};
}

void run_matrix_command(const MatrixOptions& opt) {
    std::string format = opt.json ? "json" : opt.format;
    if (opt.json && opt.format_given && opt.format != "json")
        throw InvalidInput("natlab matrix: --json asks for JSON and --format for " +
                           quote(opt.format) + "; give one of them");
    MatrixTable table;
    nlohmann::json doc;
    if (!opt.from_json.empty()) {
        std::tie(doc, table) = read_saved(opt.from_json);
    } else {
        // Over IPv6 the default compares IPv6 sides rather than IPv4's classic types.
        const bool default_types = opt.types == "classic" && !opt.types_given;
        table.types = parse_matrix_types(opt.ipv6 && default_types ? "ipv6" : opt.types);
        const Family family = opt.ipv6 ? Family::ipv6 : Family::ipv4;
        MatrixResult result = run_matrix(table.types, opt.name, family);
        table.lab = result.lab;
        table.cells = std::move(result.cells);
        doc = matrix_json(table.lab, table.cells);
        doc["family"] = opt.ipv6 ? "ipv6" : "ipv4";
    }
    std::string text;
    if (format == "json")
        text = doc.dump(2) + "\n";  // a saved file as it was: it holds more than the table
    else if (format == "svg")
        text = render_matrix_svg(matrix_view(table.lab, table.types, table.cells));
    else if (format == "html")
        text = render_matrix_html(matrix_view(table.lab, table.types, table.cells));
    else
        text = render_matrix(table.lab, table.types, table.cells);
    write_output(text, opt.output);
    if (!agrees_with_theory(table.cells)) throw ExitRequest{kExitMismatch};
}

}  // namespace

void register_matrix(CLI::App& app) {
    auto mopt = std::make_shared<MatrixOptions>();
    auto* matrix = app.add_subcommand(
        "matrix", "Measure hole punching between every pair of NAT types, against theory (root)");
    auto* format = matrix->add_option("--format", mopt->format, "text (default), json, svg or html")
                       ->check(format_choice({"text", "json", "svg", "html"}));
    matrix->add_flag("--json", mopt->json, "Print JSON (every pair's punch): --format json");
    matrix->add_option("-o,--output", mopt->output, "Write to this file instead of stdout")
        ->type_name("FILE");
    auto* types = matrix
                      ->add_option("--types", mopt->types,
                                   "The NAT types to compare, comma-separated (default: classic)")
                      ->type_name("LIST");
    auto* name = matrix
                     ->add_option("--name", mopt->name,
                                  "Name of the lab it builds (default: matrix-<random>)")
                     ->type_name("NAME");
    matrix
        ->add_option("--from-json", mopt->from_json,
                     "Draw the table a run wrote with --json again; runs nothing, needs no root")
        ->type_name("FILE");
    auto* ipv6 = matrix->add_flag(
        "-6,--ipv6", mopt->ipv6,
        "Punch over IPv6: the lab is dual-stack and each NAT has an IPv6 side (its type's own, a "
        "preset's, else NAT66 of its classes); the default types are then 'ipv6'");
    matrix->footer(
        "Builds a lab with two hosts behind a NAT of each type, punches from the first host of\n"
        "each type to the second of every type, prints the table and removes the lab. Exit\n"
        "code 3 when a cell disagrees with theory (also when drawing a saved table).\n"
        "Types: full-cone, restricted-cone, port-restricted-cone, symmetric, masquerade, or an\n"
        "RFC 4787 pair MAPPING/FILTERING in short (ei, ad, apd: 'ad/ei', 'apd/ei'), each with at\n"
        "most one of +preserve, +sequential, +random (port allocation) or +bare (no firewall: a\n"
        "bare Linux box). 'classic' is the four classic types; 'all' is classic, masquerade,\n"
        "masquerade+bare, the five pairs that have no classic name and symmetric+sequential.\n"
        "Theory follows natlab punch's procedure: both peers learn each other's endpoint from a\n"
        "rendezvous and send at once, and answer where they hear from. A bare box's cell may be\n"
        "a race (either result agrees); port allocation does not enter, since the procedure\n"
        "predicts no ports (a sequential NAT is predictable, and the table says so).\n"
        "With --ipv6 the types may also be IPv6 sides: firewall (RFC 6092's default filtering),\n"
        "firewall/ei, firewall/ad, firewall/apd, firewall+bare (its firewall off), routed and\n"
        "nptv6; any other type is a NAT66 of its classes, a preset its own IPv6 side. 'ipv6'\n"
        "(the default then) is firewall/ei, firewall/ad, firewall/apd, routed and symmetric.\n"
        "Two firewalls connect whatever their filtering: nothing is translated, so each host's\n"
        "packets leave from the endpoint the rendezvous saw (a simultaneous open).\n"
        "--format svg and html draw the table: a colour per verdict (direct, failed, race,\n"
        "disagrees with theory: outlined) with a legend, why each cell came out so on hover,\n"
        "and every failure's reason as a numbered note beneath the table. Self-contained files:\n"
        "the SVG is natlab's own, the HTML page loads nothing from elsewhere.\n"
        "Examples:\n"
        "  natlab matrix\n"
        "  natlab matrix --types masquerade,masquerade+bare,symmetric+sequential --name mx\n"
        "  natlab matrix --types all --json > all.json\n"
        "  natlab matrix --ipv6 --types firewall/apd,routed,symmetric\n"
        "  natlab matrix --from-json all.json --format svg -o matrix.svg");
    matrix->callback([mopt, format, types, name, ipv6] {
        mopt->format_given = format->count() > 0;
        mopt->types_given = types->count() > 0;
        // A saved table was measured already: what shapes a run has no place.
        for (const CLI::Option* run_only : {types, name, ipv6})
            if (!mopt->from_json.empty() && run_only->count() > 0)
                throw InvalidInput("natlab matrix: " + run_only->get_name() +
                                   " shapes a run, and --from-json draws a table measured "
                                   "before; give one of them");
        run_matrix_command(*mopt);
    });
}

}  // namespace natlab
