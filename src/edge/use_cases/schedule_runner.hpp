#pragma once
// natlab run's scenario: each scheduled change made to the live lab at its
// time after the command starts, on a thread of natlab's own, through the
// same functions as natlab set / link / rebind / flush (journalled alike).
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

#include "core/schedule/schedule.hpp"

namespace natlab {

// Makes one change to live lab `lab`.
void apply_live_action(const std::string& lab, const LiveAction& action);

class ScheduleRunner {
  public:
    // Starts the clock and the thread; each change is told on stderr unless quiet.
    ScheduleRunner(std::string lab, Schedule schedule, bool quiet);
    ~ScheduleRunner();  // stops: changes not yet due are not made
    ScheduleRunner(const ScheduleRunner&) = delete;
    ScheduleRunner& operator=(const ScheduleRunner&) = delete;

    // Stops and waits for a change being made to finish; returns how many
    // changes failed.
    int stop();
    // How many changes were due and tried by now.
    std::size_t tried() const { return tried_; }

  private:
    void run();

    std::string lab_;
    Schedule schedule_;
    bool quiet_;
    std::mutex mutex_;
    std::condition_variable wake_;
    bool stopping_ = false;
    int failures_ = 0;
    std::size_t tried_ = 0;
    std::thread thread_;
};

}  // namespace natlab
