#include "edge/system/interrupt_flag.hpp"

#include <pthread.h>
#include <signal.h>

#include <csignal>

namespace natlab {
namespace {

std::atomic<bool> g_interrupted{false};
volatile std::sig_atomic_t g_signal = 0;
constexpr int kSignals[] = {SIGINT, SIGTERM, SIGHUP};

void on_signal(int sig) {
    g_signal = sig;
    g_interrupted = true;
}

sigset_t interrupt_signals() {
    sigset_t set;
    sigemptyset(&set);
    for (int sig : kSignals) sigaddset(&set, sig);
    return set;
}

}  // namespace

void defer_interrupts() {
    sigset_t set = interrupt_signals();
    ::sigprocmask(SIG_BLOCK, &set, nullptr);
}

void allow_interrupts() {
    sigset_t set = interrupt_signals();
    ::sigprocmask(SIG_UNBLOCK, &set, nullptr);
}

// The handler first, then the signals let through: one that arrived while
// they were held back lands in the flag.
InterruptFlag::InterruptFlag() : previous_{} {
    struct sigaction sa {};
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    for (int i = 0; i < 3; ++i) sigaction(kSignals[i], &sa, &previous_[i]);
    sigset_t set = interrupt_signals();
    ::pthread_sigmask(SIG_UNBLOCK, &set, &previous_mask_);
}

// The signals held back again first, then the old handlers: a signal after
// the work is done (a create's lab complete) waits, as it did before the
// guard, instead of ending natlab by its default action on the way out.
InterruptFlag::~InterruptFlag() {
    ::pthread_sigmask(SIG_SETMASK, &previous_mask_, nullptr);
    for (int i = 0; i < 3; ++i) sigaction(kSignals[i], &previous_[i], nullptr);
}

const std::atomic<bool>* InterruptFlag::flag() const {
    return &g_interrupted;
}

int InterruptFlag::signal() const {
    return g_signal;
}

}  // namespace natlab
