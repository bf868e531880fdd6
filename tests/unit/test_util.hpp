#pragma once
#include <cstdlib>
#include <fstream>
#include <functional>
#include <sstream>
#include <string>

#include "core/util/invalid_input.hpp"

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

// Compares text with a golden file. NATLAB_UPDATE_GOLDEN=1 rewrites the file
// instead, for a deliberate change that is then read in the diff.
inline std::string golden(const std::string& relative, const std::string& actual) {
    std::string path = source_path(relative);
    if (std::getenv("NATLAB_UPDATE_GOLDEN")) std::ofstream(path) << actual;
    return read_text(path);
}

// The message of the InvalidInput that `call` throws, or "accepted".
inline std::string refusal(const std::function<void()>& call) {
    try {
        call();
    } catch (const InvalidInput& e) {
        return e.what();
    }
    return "accepted";
}

}  // namespace natlab::test
