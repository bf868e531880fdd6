#pragma once
// A capture read on a thread of its own while natlab does something else
// (natlab run's command), until stopped.
#include <atomic>
#include <functional>
#include <string>
#include <thread>

#include "edge/capture/live_capture.hpp"

namespace natlab {

class BackgroundCapture {
  public:
    using Sink = std::function<void(const CapturedPacket&)>;
    // Reads `capture` (opened: the kernel keeps its packets meanwhile) into
    // `sink` once started; both must outlive this.
    BackgroundCapture(LiveCapture& capture, Sink sink);
    ~BackgroundCapture();  // stops
    BackgroundCapture(const BackgroundCapture&) = delete;
    BackgroundCapture& operator=(const BackgroundCapture&) = delete;

    // Starts the thread. Call it after any fork: a thread running at a fork
    // could hold a lock the child then waits on forever.
    void start();

    struct Result {
        long packets = 0;
        unsigned dropped = 0;  // by the kernel: they came faster than read
        std::string error;     // why the sink stopped taking packets, if it did
    };
    // Stops reading and hands the sink every packet the kernel had by now
    // (also when never started); then the capture is over.
    Result stop();

  private:
    void loop();

    LiveCapture& capture_;
    Sink sink_;
    std::atomic<bool> stopping_{false};
    std::thread thread_;
    bool stopped_ = false;
    Result result_;
};

}  // namespace natlab
