#pragma once
// A command line CLI11 refused, said the way natlab says a wrong lab or node
// name: the unknown word, the nearest command or option, and where to look.
#include <optional>
#include <span>
#include <string>

namespace CLI {
class App;
class ParseError;
}  // namespace CLI

namespace natlab {

// Before parsing: "natlab: unknown command 'craete'; did you mean 'create'?
// (see 'natlab --help')" when a word that should name a command does not.
std::optional<std::string> unknown_command(const CLI::App& app, std::span<const std::string> args);

// After a failed parse: the message for the words that were not expected
// (an unknown option, a surplus argument), or CLI11's own message.
std::string parse_error_message(CLI::App& app, const CLI::ParseError& error);

}  // namespace natlab
