#pragma once
#include <signal.h>

#include <atomic>

namespace natlab {

// Turns SIGINT, SIGTERM and SIGHUP into a flag for the lifetime of the guard,
// so a long operation can stop between steps and undo what it did. Guards
// nest: an inner one keeps what an outer one has already heard.
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
};

}  // namespace natlab
