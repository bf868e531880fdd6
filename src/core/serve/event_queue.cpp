#include "core/serve/event_queue.hpp"

namespace natlab {

void EventQueue::push(std::string event) {
    {
        std::lock_guard lock(mutex_);
        if (events_.size() >= capacity_) {
            ++skipped_;
            return;
        }
        events_.push_back(std::move(event));
    }
    ready_.notify_one();
}

EventQueue::Taken EventQueue::take(std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex_);
    ready_.wait_for(lock, timeout, [this] { return !events_.empty() || skipped_ > 0; });
    Taken out{{events_.begin(), events_.end()}, skipped_};
    events_.clear();
    skipped_ = 0;
    return out;
}

}  // namespace natlab
