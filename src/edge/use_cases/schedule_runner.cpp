#include "edge/use_cases/schedule_runner.hpp"

#include <chrono>
#include <cstdio>
#include <iostream>

#include "core/topology/node_interface.hpp"
#include "edge/use_cases/change_link.hpp"
#include "edge/use_cases/change_nat.hpp"

namespace natlab {

void apply_live_action(const std::string& lab, const LiveAction& a) {
    using Verb = LiveAction::Verb;
    switch (a.verb) {
        case Verb::set:
            if (names_interface(a.target))
                set_link_condition(lab, a.target, a.settings, a.clear);
            else
                set_nat(lab, a.target, a.settings, *parse_name<Bindings>(a.bindings));
            return;
        case Verb::link:
            return set_link_up(lab, a.target, a.up);
        case Verb::rebind:
            rebind_nat(lab, a.target, a.inside);
            return;
        case Verb::flush:
            flush_nat(lab, a.target);
            return;
    }
}

ScheduleRunner::ScheduleRunner(std::string lab, Schedule schedule, bool quiet)
    : lab_(std::move(lab)), schedule_(std::move(schedule)), quiet_(quiet) {
    if (!schedule_.empty()) thread_ = std::thread([this] { run(); });
}

ScheduleRunner::~ScheduleRunner() {
    stop();
}

int ScheduleRunner::stop() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) thread_.join();
    return failures_;
}

void ScheduleRunner::run() {
    const auto start = std::chrono::steady_clock::now();
    for (const auto& change : schedule_) {
        {
            std::unique_lock lock(mutex_);
            if (wake_.wait_until(lock, start + std::chrono::microseconds(change.at_us),
                                 [this] { return stopping_; }))
                return;
        }
        ++tried_;
        char when[32];
        std::snprintf(when, sizeof when, "%.1f s", change.at_us / 1e6);
        try {
            apply_live_action(lab_, change.action);
            if (!quiet_)
                std::cerr << "natlab run: at " << when << ": " << change.action.written << "\n";
        } catch (const std::exception& e) {
            ++failures_;
            std::string why = e.what();
            if (why.rfind("natlab: ", 0) == 0) why.erase(0, 8);
            std::cerr << "natlab run: at " << when << ": " << change.action.written
                      << " failed: " << why << "\n";
        }
    }
}

}  // namespace natlab
