#include "edge/system/supervise.hpp"

#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <iostream>

#include "edge/system/error.hpp"
#include "edge/system/exec_argv.hpp"

namespace natlab {
namespace {

using Clock = std::chrono::steady_clock;

// Blocks the signals natlab waits for, and puts the old mask back on exit.
class BlockedSignals {
  public:
    BlockedSignals() {
        sigemptyset(&set_);
        for (int sig : {SIGINT, SIGTERM, SIGHUP, SIGCHLD}) sigaddset(&set_, sig);
        sigprocmask(SIG_BLOCK, &set_, &old_);
    }
    ~BlockedSignals() { sigprocmask(SIG_SETMASK, &old_, nullptr); }
    BlockedSignals(const BlockedSignals&) = delete;
    BlockedSignals& operator=(const BlockedSignals&) = delete;
    const sigset_t& set() const { return set_; }
    const sigset_t& old() const { return old_; }

  private:
    sigset_t set_{}, old_{};
};

// A command natlab started from a terminal's foreground stays in natlab's
// process group, so it can read the terminal and Ctrl-C reaches it directly.
// Elsewhere (CI) it gets a group of its own, so signals reach all it started.
bool wants_own_group() {
    return !::isatty(STDIN_FILENO) || ::tcgetpgrp(STDIN_FILENO) != ::getpgrp();
}

[[noreturn]] void become_command(const std::function<void()>& child_main, const sigset_t& mask,
                                 bool own_group) {
    if (own_group) ::setpgid(0, 0);
    ::prctl(PR_SET_PDEATHSIG, SIGTERM);
    ::sigprocmask(SIG_SETMASK, &mask, nullptr);
    try {
        child_main();
    } catch (const std::exception& e) {
        std::cerr << "natlab: " << e.what() << "\n";
    }
    ::_exit(126);
}

}  // namespace

CommandOutcome run_supervised(const std::function<void()>& child_main, int interrupted,
                              const std::function<void()>& started, int grace_s) {
    BlockedSignals blocked;
    if (interrupted) return {128 + interrupted, interrupted};
    bool own_group = wants_own_group();
    std::cout.flush();
    std::fflush(nullptr);
    pid_t pid = ::fork();
    if (pid < 0) throw_errno("starting the command", errno);
    if (pid == 0) become_command(child_main, blocked.old(), own_group);
    if (own_group) ::setpgid(pid, pid);  // also here: no signal may miss the group
    if (started) started();

    auto send = [&](int sig) { ::kill(own_group ? -pid : pid, sig); };
    CommandOutcome outcome;
    constexpr auto kNever = Clock::time_point::max();
    Clock::time_point kill_at = kNever;
    for (;;) {
        int status = 0;
        if (::waitpid(pid, &status, WNOHANG) == pid) {
            outcome.exit_code = exit_code_of(status);
            return outcome;
        }
        if (Clock::now() >= kill_at) {
            send(SIGKILL);
            kill_at = kNever;
        }
        timespec tick{0, 100'000'000};
        siginfo_t info{};
        int sig = ::sigtimedwait(&blocked.set(), &info, &tick);
        if (sig == SIGINT || sig == SIGTERM || sig == SIGHUP) {
            outcome.signal_received = sig;
            send(sig);
            if (kill_at == kNever) kill_at = Clock::now() + std::chrono::seconds(grace_s);
        }
    }
}

}  // namespace natlab
