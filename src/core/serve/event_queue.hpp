#pragma once
// The events waiting for one open page: bounded, so a page that reads slower
// than events come (a flood, a stalled tab) holds at most `capacity` of them
// and is told how many it missed. Thread-safe: the lab's monitor pushes, the
// page's stream takes.
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <mutex>
#include <string>
#include <vector>

namespace natlab {

class EventQueue {
  public:
    explicit EventQueue(std::size_t capacity) : capacity_(capacity) {}

    // Queues one event; a full queue drops it and counts it as skipped.
    void push(std::string event);

    struct Taken {
        std::vector<std::string> events;
        std::size_t skipped = 0;  // dropped since the last take
    };
    // Waits up to `timeout` for something to take, then takes all of it.
    Taken take(std::chrono::milliseconds timeout);

  private:
    const std::size_t capacity_;
    std::mutex mutex_;
    std::condition_variable ready_;
    std::deque<std::string> events_;
    std::size_t skipped_ = 0;
};

}  // namespace natlab
