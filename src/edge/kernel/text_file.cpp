#include "edge/kernel/text_file.hpp"

#include <fstream>
#include <sstream>

namespace natlab {

std::string read_text_file(const std::string& path) {
    std::ifstream in(path);
    if (!in) return "";
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

}  // namespace natlab
