#include "edge/capture/background_capture.hpp"

#include <system_error>

namespace natlab {

BackgroundCapture::BackgroundCapture(LiveCapture& capture, Sink sink)
    : capture_(capture), sink_(std::move(sink)) {}

BackgroundCapture::~BackgroundCapture() {
    stop();
}

void BackgroundCapture::loop() {
    try {
        result_.packets = capture_.run(stopping_, 0, sink_);
    } catch (const std::exception& e) {
        // The sink failed (a full disk): the packets so far are all there will be.
        result_.error = e.what();
    }
}

void BackgroundCapture::start() {
    if (thread_.joinable() || stopped_) return;
    try {
        thread_ = std::thread([this] { loop(); });
    } catch (const std::system_error& e) {
        // Read at the stop instead: what the kernel kept by then is still there.
        result_.error = std::string("starting the capture thread: ") + e.what();
    }
}

BackgroundCapture::Result BackgroundCapture::stop() {
    if (stopped_) return result_;
    stopped_ = true;
    stopping_ = true;
    if (thread_.joinable())
        thread_.join();
    else
        loop();
    result_.dropped = capture_.dropped();
    return result_;
}

}  // namespace natlab
