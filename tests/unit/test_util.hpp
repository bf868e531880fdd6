#pragma once
#include <fstream>
#include <sstream>
#include <string>

namespace natlab::test {

inline std::string source_path(const std::string& relative) {
    return std::string(NATLAB_SOURCE_DIR) + "/" + relative;
}

inline std::string read_text(const std::string& path) {
    std::ifstream in(path);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

}  // namespace natlab::test
