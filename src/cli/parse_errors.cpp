#include "cli/parse_errors.hpp"

#include <CLI/CLI.hpp>

#include "cli/app.hpp"
#include "core/util/text.hpp"

namespace natlab {
namespace {

std::vector<std::string> command_names(const CLI::App& app) {
    std::vector<std::string> names;
    for (const CLI::App* command : app.get_subcommands({}))
        if (is_public(*command)) names.push_back(command->get_name());
    return names;
}

const CLI::App* find_command(const CLI::App& app, const std::string& name) {
    for (const CLI::App* command : app.get_subcommands({}))
        if (command->get_name() == name) return command;
    return nullptr;
}

std::vector<std::string> option_names(const CLI::App& app) {
    std::vector<std::string> names;
    for (const CLI::Option* option : app.get_options()) {
        for (const auto& name : option->get_lnames()) names.push_back("--" + name);
        for (const auto& name : option->get_snames()) names.push_back("-" + name);
    }
    return names;
}

// "natlab" or "natlab image build": how the messages name the command.
std::string path_of(const CLI::App& command) {
    const CLI::App* parent = command.get_parent();
    return parent == nullptr ? "natlab" : path_of(*parent) + " " + command.get_name();
}

// The innermost command the parse got to.
CLI::App& parsed_command(CLI::App& app) {
    std::vector<CLI::App*> parsed = app.get_subcommands();
    return parsed.empty() ? app : parsed_command(*parsed.front());
}

bool takes_value(const CLI::Option& option) {
    return option.nonpositional() && option.get_expected_min() > 0;
}

}  // namespace

std::optional<std::string> unknown_command(const CLI::App& app, std::span<const std::string> args) {
    const CLI::App* current = &app;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& word = args[i];
        if (word == "--") return std::nullopt;
        if (word.starts_with("-")) {
            const std::string name = word.substr(0, word.find('='));
            const CLI::Option* option = current->get_option_no_throw(name);
            // natlab's own options come before any command: there CLI11 would
            // only say that a command is missing.
            if (option == nullptr && current == &app)
                return "natlab: unknown option " + quote(name) +
                       did_you_mean(name, option_names(app)) + " (see 'natlab --help')";
            if (option != nullptr && takes_value(*option) && word.find('=') == std::string::npos)
                ++i;
            continue;
        }
        std::vector<std::string> names = command_names(*current);
        if (names.empty()) return std::nullopt;  // a command's own arguments from here on
        const CLI::App* next = find_command(*current, word);
        if (next == nullptr)
            return path_of(*current) + ": unknown command " + quote(word) +
                   did_you_mean(word, names) + " (see '" + path_of(*current) + " --help')";
        current = next;
    }
    return std::nullopt;
}

std::string parse_error_message(CLI::App& app, const CLI::ParseError& error) {
    CLI::App& command = parsed_command(app);
    std::string help = " (see '" + path_of(command) + " --help')";
    if (dynamic_cast<const CLI::ExtrasError*>(&error) != nullptr) {
        std::vector<std::string> extras = command.remaining();
        for (const std::string& word : extras) {
            if (!word.starts_with("-") || word == "-") continue;
            std::string name = word.substr(0, word.find('='));
            return path_of(command) + ": unknown option " + quote(name) +
                   did_you_mean(name, option_names(command)) + help;
        }
        if (!extras.empty())
            return path_of(command) + ": unexpected argument " + quote(extras.front()) + help;
    }
    return path_of(command) + ": " + error.what() + help;
}

}  // namespace natlab
