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

// A lab of one host c0 behind nat0 (10.0.1.0/24 inside, 100.64.1.0/24
// outside), nat0 written with `nat_keys` ("preset: home-router").
inline std::string lab_with_nat(const std::string& nat_keys) {
    return "name: t\nnodes:\n"
           "  c0: {routes: {default: nat0}}\n"
           "  nat0: {kind: nat, outside: wan, routes: {default: internet}, " +
           nat_keys +
           "}\n"
           "  internet: {kind: router}\n"
           "links:\n"
           "  - {endpoints: [nat0:lan, c0:eth0], subnet: 10.0.1.0/24}\n"
           "  - {endpoints: [internet:to-nat0, nat0:wan], subnet: 100.64.1.0/24}\n";
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
