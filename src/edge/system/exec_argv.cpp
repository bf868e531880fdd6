#include "edge/system/exec_argv.hpp"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <sstream>

#include "edge/system/error.hpp"
#include "edge/system/fd.hpp"

namespace natlab {

std::string find_program(const std::string& name) {
    const char* path = std::getenv("PATH");
    std::istringstream dirs(path && *path ? path : "/usr/local/bin:/usr/bin:/bin");
    for (std::string dir; std::getline(dirs, dir, ':');)
        if (!dir.empty() && ::access((dir + "/" + name).c_str(), X_OK) == 0) return dir;
    return "";
}

int exit_code_of(int wait_status) {
    return WIFSIGNALED(wait_status) ? 128 + WTERMSIG(wait_status) : WEXITSTATUS(wait_status);
}

int run_program(const std::vector<std::string>& argv, const std::string& who,
                const std::string* input) {
    int fds[2];
    if (input && ::pipe2(fds, O_CLOEXEC) != 0) throw_errno("running " + argv[0], errno);
    UniqueFd read_end(input ? fds[0] : -1), write_end(input ? fds[1] : -1);
    std::fflush(nullptr);  // nothing buffered may be written twice
    pid_t child = ::fork();
    if (child < 0) throw_errno("running " + argv[0], errno);
    if (child == 0) {
        if (input) ::dup2(read_end.get(), STDIN_FILENO);
        exec_argv(argv, who);
    }
    read_end.reset();
    for (std::size_t done = 0; input && done < input->size();) {
        ssize_t n = ::write(write_end.get(), input->data() + done, input->size() - done);
        if (n <= 0) break;  // it stopped reading: its exit code will say why
        done += static_cast<std::size_t>(n);
    }
    write_end.reset();
    int status = 0;
    while (::waitpid(child, &status, 0) < 0 && errno == EINTR) {
    }
    return exit_code_of(status);
}

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
