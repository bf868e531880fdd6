#include "cli/signals.hpp"

#include <signal.h>

namespace natlab {
namespace {

std::atomic<bool> g_interrupted{false};
constexpr int kSignals[] = {SIGINT, SIGTERM, SIGHUP};
struct sigaction g_previous[3];

void on_signal(int) {
    g_interrupted = true;
}

}  // namespace

InterruptFlag::InterruptFlag() {
    g_interrupted = false;
    struct sigaction sa {};
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    for (int i = 0; i < 3; ++i) sigaction(kSignals[i], &sa, &g_previous[i]);
}

InterruptFlag::~InterruptFlag() {
    for (int i = 0; i < 3; ++i) sigaction(kSignals[i], &g_previous[i], nullptr);
}

const std::atomic<bool>* InterruptFlag::flag() const {
    return &g_interrupted;
}

}  // namespace natlab
