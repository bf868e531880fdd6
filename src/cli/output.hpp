#pragma once
// What commands that draw share: the choice of --format and -o FILE.
#include <CLI/CLI.hpp>
#include <string>
#include <vector>

namespace natlab {

// Accepts exactly the given formats; anything else is refused naming the
// value, the formats and an example.
CLI::Validator format_choice(std::vector<std::string> formats);

// Writes the text to `path`, or to stdout when it is empty; throws naming the file.
void write_output(const std::string& text, const std::string& path);

}  // namespace natlab
