// natlab __complete WORD...: what the bash completion script asks. The words
// are the command line after 'natlab' up to the word being completed (the
// last, maybe empty). The first line of the answer says how to complete it:
//   words          the lines after it are the candidates (already matched)
//   files | yaml | dirs    let the shell complete a path
//   command N      a command line of its own starts at word N (after --)
// Commands, options and choices come from the CLI11 tree itself; lab, node
// and NODE:IFACE names from the labs on this machine.
#include <CLI/CLI.hpp>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/app.hpp"
#include "cli/commands.hpp"
#include "core/names/paths.hpp"
#include "core/topology/node_interface.hpp"
#include "core/util/text.hpp"

namespace natlab {
namespace {

using Words = std::vector<std::string>;

// What an argument names, read from its type name in --help.
enum class Names {
    none,
    labs,
    nodes,
    nats,
    hosts,
    ends,
    ends_or_nodes,
    ends_or_nats,
    yaml,
    files,
    dirs,
    command
};

Names names_of(const CLI::Option& option) {
    static const std::map<std::string, Names, std::less<>> kinds = {
        {"LAB", Names::labs},
        {"NODE", Names::nodes},
        {"NAT", Names::nats},
        {"HOST", Names::hosts},
        {"NODE:IFACE", Names::ends},
        {"NODE[:IFACE]", Names::ends_or_nodes},
        {"NODE:IFACE|NAT", Names::ends_or_nats},
        {"LAB.yaml", Names::yaml},
        {"FILE", Names::files},
        {"DIR", Names::dirs},
        {"CMD", Names::command},
    };
    auto it = kinds.find(option.get_type_name());
    return it == kinds.end() ? Names::none : it->second;
}

bool takes_value(const CLI::Option& option) {
    return option.nonpositional() && option.get_expected_min() > 0;
}

// The values a validator accepts, when it is a fixed list ({down,up}, or a
// format_choice's "dot, mermaid, svg, png").
Words choices_of(CLI::Option& option) {
    for (int i = 0;; ++i) {
        CLI::Validator* validator = nullptr;
        try {
            validator = option.get_validator(i);
        } catch (const CLI::OptionNotFound&) {
            return {};
        }
        std::string text = validator->get_description();
        if (text.starts_with("{") && text.ends_with("}"))
            text = text.substr(1, text.size() - 2);
        else if (validator->get_name() != "choices")
            continue;
        Words out;
        std::size_t start = 0;
        while (start <= text.size()) {
            std::size_t end = text.find(',', start);
            if (end == std::string::npos) end = text.size();
            std::string item = text.substr(start, end - start);
            while (item.starts_with(" ")) item.erase(0, 1);
            if (!item.empty()) out.push_back(item);
            start = end + 1;
        }
        return out;
    }
}

nlohmann::json lab_nodes(const std::string& lab) {
    std::ifstream in(lab_description_path(lab));
    nlohmann::json description = nlohmann::json::parse(in, nullptr, false);
    if (description.is_discarded() || !description.contains("nodes"))
        return nlohmann::json::object();
    return description["nodes"];
}

Words live_labs() {
    Words labs;
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(kStateRoot, ec))
        if (entry.is_directory(ec)) labs.push_back(entry.path().filename().string());
    std::sort(labs.begin(), labs.end());
    return labs;
}

Words live_names(Names names, const std::string& lab) {
    Words out;
    if (names == Names::labs) return live_labs();
    const nlohmann::json nodes = lab_nodes(lab);
    for (const auto& [node, facts] : nodes.items()) {
        const std::string kind = facts.value("kind", "");
        bool ends =
            names == Names::ends || names == Names::ends_or_nodes || names == Names::ends_or_nats;
        if (names == Names::nodes || names == Names::ends_or_nodes ||
            (kind == "nat" && (names == Names::nats || names == Names::ends_or_nats)) ||
            (kind == "host" && names == Names::hosts))
            out.push_back(node);
        if (ends && facts.contains("interfaces"))
            for (const auto& [iface, _] : facts["interfaces"].items())
                out.push_back(NodeInterface{node, iface}.str());
    }
    return out;
}

CLI::App* subcommand_named(CLI::App& command, const std::string& name) {
    for (CLI::App* sub : command.get_subcommands({}))
        if (sub->get_name() == name && is_public(*sub)) return sub;
    return nullptr;
}

struct Position {
    CLI::App* command = nullptr;
    CLI::Option* option = nullptr;  // whose value the word is, when it is one
    std::string lab;                // the LAB argument given so far
    std::size_t command_start = 0;  // index of the first word after --, when there is one
};

// Walks the words before the last one through the CLI11 tree, as parse would.
Position locate(CLI::App& app, const Words& words) {
    Position at;
    at.command = &app;
    std::size_t positional = 0;
    for (std::size_t i = 0; i + 1 < words.size(); ++i) {
        const std::string& word = words[i];
        if (word == "--") {
            at.command_start = i + 1;
            return at;
        }
        if (word.starts_with("-") && word.size() > 1) {
            CLI::Option* option = at.command->get_option_no_throw(word.substr(0, word.find('=')));
            if (option != nullptr && takes_value(*option) && word.find('=') == std::string::npos) {
                if (i + 2 == words.size()) at.option = option;
                ++i;
            }
            continue;
        }
        if (CLI::App* sub = subcommand_named(*at.command, word)) {
            at.command = sub;
            positional = 0;
            continue;
        }
        auto positionals =
            at.command->get_options([](CLI::Option* o) { return o->get_positional(); });
        if (positional < positionals.size()) {
            if (names_of(*positionals[positional]) == Names::labs) at.lab = word;
            if (positionals[positional]->get_items_expected_max() <= 1) ++positional;
        }
    }
    if (at.option == nullptr) {
        auto positionals =
            at.command->get_options([](CLI::Option* o) { return o->get_positional(); });
        if (positional < positionals.size()) at.option = positionals[positional];
    }
    return at;
}

Words option_names(const CLI::App& command) {
    Words names;
    for (const CLI::Option* option : command.get_options()) {
        for (const auto& name : option->get_lnames()) names.push_back("--" + name);
        for (const auto& name : option->get_snames()) names.push_back("-" + name);
    }
    return names;
}

void answer(CLI::App& app, const Words& words) {
    const std::string current = words.empty() ? "" : words.back();
    Position at = locate(app, words);
    if (at.command_start != 0) {
        std::cout << "command " << at.command_start + 1 << "\n";
        return;
    }
    Words candidates;
    bool value = at.option != nullptr && at.option->nonpositional();
    if (current.starts_with("-") && !value) {
        candidates = option_names(*at.command);
    } else {
        if (!value)
            for (CLI::App* sub : at.command->get_subcommands({}))
                if (is_public(*sub)) candidates.push_back(sub->get_name());
        if (at.option != nullptr) {
            switch (Names names = names_of(*at.option)) {
                case Names::yaml:
                    std::cout << "yaml\n";
                    return;
                case Names::files:
                    std::cout << "files\n";
                    return;
                case Names::dirs:
                    std::cout << "dirs\n";
                    return;
                case Names::command:
                    std::cout << "command " << words.size() << "\n";
                    return;
                case Names::none:
                    for (auto& choice : choices_of(*at.option)) candidates.push_back(choice);
                    break;
                default:
                    for (auto& name : live_names(names, at.lab)) candidates.push_back(name);
            }
        }
    }
    std::cout << "words\n";
    for (const auto& candidate : candidates)
        if (candidate.starts_with(current)) std::cout << candidate << "\n";
}

}  // namespace

void register_complete(CLI::App& app) {
    auto words = std::make_shared<Words>();
    auto* cmd = app.add_subcommand("__complete", "");
    cmd->group("");  // hidden from --help
    cmd->prefix_command();
    cmd->callback([&app, cmd, words] {
        Words all = cmd->remaining();
        answer(app, all);
    });
}

}  // namespace natlab
