#pragma once
#include <atomic>

namespace natlab {

// Turns SIGINT, SIGTERM and SIGHUP into a flag for the lifetime of the guard,
// so a long operation can stop between steps and undo what it did.
class InterruptFlag {
  public:
    InterruptFlag();
    ~InterruptFlag();
    InterruptFlag(const InterruptFlag&) = delete;
    InterruptFlag& operator=(const InterruptFlag&) = delete;
    const std::atomic<bool>* flag() const;
};

}  // namespace natlab
