#include "kernel/exec_argv.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace natlab {

void exec_argv(const std::vector<std::string>& argv, const std::string& who) {
    std::vector<char*> args;
    for (const auto& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
    args.push_back(nullptr);
    ::execvp(args[0], args.data());
    int err = errno;
    std::fprintf(stderr, "%s: %s: %s\n", who.c_str(), args[0], std::strerror(err));
    ::_exit(err == ENOENT ? 127 : 126);
}

}  // namespace natlab
