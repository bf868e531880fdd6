// natlab __manual DIR: writes the manual pages, natlab(1) and one
// natlab-COMMAND(1) per command, rendered from the CLI11 tree that --help
// prints, so a page cannot say what the command does not do.
#include <CLI/CLI.hpp>
#include <fstream>
#include <sstream>

#include "cli/app.hpp"
#include "cli/commands.hpp"
#include "core/util/invalid_input.hpp"
#include "version.hpp"

namespace natlab {
namespace {

// Text as roff reads it: a backslash and a hyphen escaped (a plain '-' may be
// set as a hyphen, where an option needs the ASCII minus), every non-ASCII
// character by its code point, and a line that would start with a control
// character protected.
std::string roff(std::string_view text) {
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        unsigned char c = text[i];
        if (c == '\\') {
            out += "\\e";
        } else if (c == '-') {
            out += "\\-";
        } else if (c < 0x80) {
            out += static_cast<char>(c);
        } else {
            int length = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
            unsigned code = c & (0x7F >> length);
            for (int k = 1; k < length && i + 1 < text.size(); ++k)
                code = (code << 6) | (static_cast<unsigned char>(text[++i]) & 0x3F);
            char buffer[16];
            std::snprintf(buffer, sizeof buffer, "\\[u%04X]", code);
            out += buffer;
        }
    }
    if (out.starts_with(".") || out.starts_with("'")) out.insert(0, "\\&");
    return out;
}

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> lines;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);)
        if (!line.starts_with("Manual: ")) lines.push_back(line);
    return lines;
}

// Help text as paragraphs: wrapped lines join into one, and lines indented
// by two spaces (the examples) stay as they are.
void paragraphs(std::ostream& out, const std::string& text) {
    bool in_example = false, fresh = true;
    for (const std::string& line : lines_of(text)) {
        bool example = line.starts_with("  ");
        if (example && !in_example) out << ".RS 4\n.nf\n";
        if (!example && in_example) out << ".fi\n.RE\n";
        bool heading = line == "Example:" || line == "Examples:";
        if (!example && (fresh || line.empty() || heading)) out << ".PP\n";
        in_example = example;
        fresh = false;
        if (!line.empty()) out << roff(example ? line.substr(2) : line) << "\n";
    }
    if (in_example) out << ".fi\n.RE\n";
}

std::string synopsis_of(const CLI::App& command, const std::string& path) {
    std::string out = "\\fB" + roff(path) + "\\fR";
    if (!command.get_options([](const CLI::Option* o) { return o->nonpositional(); }).empty())
        out += " [\\fIOPTIONS\\fR]";
    for (const CLI::Option* option :
         command.get_options([](const CLI::Option* o) { return o->get_positional(); })) {
        if (option->get_name().empty()) continue;
        std::string name = "\\fI" + roff(option->get_type_name()) + "\\fR";
        if (option->get_items_expected_max() > 1) name += "...";
        if (option->get_name() == "command") name = "\\-\\- " + name;
        out += " " + (option->get_required() ? name : "[" + name + "]");
    }
    return out;
}

void options_of(std::ostream& out, const CLI::App& command) {
    auto options = command.get_options([](const CLI::Option* o) { return !o->get_name().empty(); });
    if (options.empty()) return;
    out << ".SS Options and arguments\n";
    for (const CLI::Option* option : options) {
        std::string names;
        if (option->get_positional()) {
            names = "\\fI" + roff(option->get_type_name()) + "\\fR";
        } else {
            names = "\\fB" + roff(option->get_name(false, true)) + "\\fR";
            if (option->get_expected_min() > 0)
                names += " \\fI" + roff(option->get_type_name()) + "\\fR";
        }
        out << ".TP\n" << names << "\n" << roff(option->get_description()) << "\n";
    }
}

void header(std::ostream& out, const std::string& page, const std::string& summary) {
    std::string upper;
    for (char c : page) upper += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    out << ".TH " << roff(upper) << " 1 \"\" \"natlab " << kVersion << "\" \"natlab manual\"\n"
        << ".SH NAME\n"
        << roff(page) << " \\- " << roff(summary) << "\n";
}

// A command's page: its synopsis, what its --help says, its options, and
// then each command nested under it (image build).
void command_page(std::ostream& out, const CLI::App& command) {
    const std::string page = manual_name(command);
    header(out, page, command.get_description());
    auto nested = command.get_subcommands({});
    out << ".SH SYNOPSIS\n";
    if (nested.empty()) out << synopsis_of(command, "natlab " + command.get_name()) << "\n";
    for (const CLI::App* sub : nested)
        out << ".br\n"
            << synopsis_of(*sub, "natlab " + command.get_name() + " " + sub->get_name()) << "\n";
    out << ".SH DESCRIPTION\n" << roff(command.get_description()) << ".\n";
    paragraphs(out, command.get_footer());
    options_of(out, command);
    for (const CLI::App* sub : nested) {
        out << ".SH \"" << roff("natlab " + command.get_name() + " " + sub->get_name()) << "\"\n"
            << roff(sub->get_description()) << ".\n";
        paragraphs(out, sub->get_footer());
        options_of(out, *sub);
    }
    out << ".SH SEE ALSO\n\\fBnatlab\\fR(1)\n";
}

constexpr const char* kFiles =
    ".TP\n/run/natlab/\\fILAB\\fR/\n"
    "What natlab made for the lab, so that \\fBclean\\fR removes exactly that, also after a "
    "crash.\n"
    ".TP\n/run/netns/\\fILAB\\fR\\-\\fINODE\\fR\n"
    "Each node's network namespace, as \\fBip netns\\fR names them.\n"
    ".TP\n/usr/share/natlab/labs/\n"
    "The bundled labs; /usr/share/natlab/topology.schema.json describes the topology file.\n"
    ".TP\n/usr/share/doc/natlab/\n"
    "The topic guides: the topology file, NAT behaviours, natlab run in CI, measuring NATs.\n";

void program_page(std::ostream& out, const CLI::App& app) {
    header(out, "natlab", "build network labs with NATs from a YAML topology");
    out << ".SH SYNOPSIS\n\\fBnatlab\\fR \\fICOMMAND\\fR [\\fIOPTIONS\\fR] [\\fIARGUMENTS\\fR]\n"
        << ".br\n\\fBnatlab\\fR \\fB\\-\\-help\\fR | \\fB\\-\\-version\\fR\n"
        << ".SH DESCRIPTION\n";
    paragraphs(out, app.get_description());
    out << ".SH COMMANDS\n";
    for (const CLI::App* command : app.get_subcommands({})) {
        if (!is_public(*command)) continue;
        out << ".TP\n\\fB" << roff(command->get_name()) << "\\fR\n"
            << roff(command->get_description()) << "; see \\fB" << roff(manual_name(*command))
            << "\\fR(1).\n";
    }
    out << ".SH EXIT STATUS\n";
    paragraphs(out, app.get_footer());
    out << ".SH FILES\n" << kFiles << ".SH SEE ALSO\n";
    std::vector<std::string> see;
    for (const CLI::App* command : app.get_subcommands({}))
        if (is_public(*command)) see.push_back("\\fB" + roff(manual_name(*command)) + "\\fR(1)");
    see.push_back("\\fBip\\-netns\\fR(8)");
    see.push_back("\\fBnft\\fR(8)");
    see.push_back("\\fBsystemd\\-nspawn\\fR(1)");
    for (std::size_t i = 0; i < see.size(); ++i)
        out << see[i] << (i + 1 < see.size() ? ",\n" : "\n");
}

void write_page(const std::string& dir, const std::string& page, const std::string& text) {
    std::string path = dir + "/" + page + ".1";
    std::ofstream out(path);
    out << text;
    out.close();
    if (!out)
        throw std::runtime_error("writing " + path + " failed; check that " + dir + " exists");
}

void write_manual(const CLI::App& app, const std::string& dir) {
    std::ostringstream program;
    program_page(program, app);
    write_page(dir, "natlab", program.str());
    for (const CLI::App* command : app.get_subcommands({})) {
        if (!is_public(*command)) continue;
        std::ostringstream page;
        command_page(page, *command);
        write_page(dir, manual_name(*command), page.str());
    }
}

}  // namespace

void register_manual(CLI::App& app) {
    auto dir = std::make_shared<std::string>();
    auto* cmd = app.add_subcommand("__manual", "");
    cmd->group("");  // hidden from --help
    cmd->add_option("dir", *dir)->required();
    cmd->callback([&app, dir] { write_manual(app, *dir); });
}

}  // namespace natlab
