#include "cli/output.hpp"

#include <fstream>
#include <iostream>
#include <stdexcept>

#include "core/util/text.hpp"

namespace natlab {

CLI::Validator format_choice(std::vector<std::string> formats) {
    std::string names = join(formats, ", ");
    return CLI::Validator(
        [formats, names](std::string& value) -> std::string {
            for (const auto& f : formats)
                if (value == f) return "";
            return quote(value) + " is not a format it writes; use one of " + names +
                   " (e.g. --format " + formats.back() + ")";
        },
        names, "choices");
}

void write_output(const std::string& text, const std::string& path) {
    if (path.empty()) {
        std::cout << text;
        return;
    }
    std::ofstream out(path);
    out << text;
    if (!out.flush())
        throw std::runtime_error("writing " + path +
                                 " failed: check that its directory exists and is writable");
}

}  // namespace natlab
