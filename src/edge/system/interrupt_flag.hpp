#pragma once
#include <signal.h>

#include <atomic>

namespace natlab {

// From natlab's first instruction SIGINT, SIGTERM and SIGHUP are held back
// (blocked, so they wait instead of killing it mid-way); a command that undoes
// what it made on a signal takes them through an InterruptFlag, every other
// command lets them through with their default action (allow_interrupts).
void defer_interrupts();
void allow_interrupts();

// Turns SIGINT, SIGTERM and SIGHUP into a flag for the lifetime of the guard,
// so a long operation can stop between steps and undo what it did. Guards
// nest: an inner one keeps what an outer one has already heard. When the
// guard ends the signals are held back again as before it, so one that comes
// after the work is done cannot end natlab halfway out.
class InterruptFlag {
  public:
    InterruptFlag();
    ~InterruptFlag();
    InterruptFlag(const InterruptFlag&) = delete;
    InterruptFlag& operator=(const InterruptFlag&) = delete;
    const std::atomic<bool>* flag() const;
    // The last of those signals received while any guard lived, or 0.
    int signal() const;

  private:
    struct sigaction previous_[3];
    sigset_t previous_mask_;
};

}  // namespace natlab
