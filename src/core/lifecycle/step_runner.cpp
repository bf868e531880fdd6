#include "core/lifecycle/step_runner.hpp"

#include <algorithm>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <mutex>
#include <queue>
#include <thread>

#include "core/plan/step_order.hpp"
#include "core/util/threads.hpp"

namespace natlab {
namespace {

class StepRunner {
  public:
    StepRunner(std::span<const Step> steps, const std::function<void(const Step&)>& apply,
               const std::atomic<bool>* stop)
        : steps_(steps),
          apply_(apply),
          stop_(stop),
          waiting_for_(steps.size()),
          unblocks_(steps.size()) {
        auto prerequisites = step_prerequisites(steps);
        chain_ = chain_lengths(prerequisites);
        for (std::size_t i = 0; i < steps.size(); ++i) {
            waiting_for_[i] = prerequisites[i].size();
            for (std::size_t before : prerequisites[i]) unblocks_[before].push_back(i);
            if (waiting_for_[i] == 0) make_ready(i);
        }
    }

    // One thread's share: apply a step, release the steps that waited for
    // it and go on with one of them, the next step of a namespace this one
    // touched; when none is free, take the ready step that heads the longest
    // chain. Until all are done or one failed. Going on with its own chain
    // keeps a thread on the namespaces it just entered: a lab larger than
    // the executor's open namespaces would otherwise have each of them
    // closed and opened again for every kind of step.
    void work() {
        std::unique_lock lock(mutex_);
        constexpr std::size_t kNone = SIZE_MAX;
        std::size_t next_mine = kNone;
        for (;;) {
            if (next_mine == kNone) changed_.wait(lock, [&] { return !ready_.empty() || over(); });
            if (over()) return;
            std::size_t i = next_mine != kNone ? next_mine : take_ready();
            next_mine = kNone;
            if (stop_ && stop_->load()) {
                fail("interrupted before " + describe(steps_[i]));
                return;
            }
            lock.unlock();
            std::string failure = apply_one(steps_[i]);
            lock.lock();
            if (!failure.empty()) {
                fail(failure);
                return;
            }
            ++done_;
            for (std::size_t next : unblocks_[i]) {
                if (--waiting_for_[next] != 0) continue;
                if (next_mine != kNone)
                    make_ready(next);
                else
                    next_mine = next;
            }
            changed_.notify_all();
        }
    }

    std::string failure() const { return failure_; }

  private:
    std::span<const Step> steps_;
    const std::function<void(const Step&)>& apply_;
    const std::atomic<bool>* stop_;
    std::vector<std::size_t> waiting_for_;            // unfinished prerequisites per step
    std::vector<std::vector<std::size_t>> unblocks_;  // steps waiting for each step
    std::vector<std::size_t> chain_;                  // chain_lengths of each step
    struct Ready {
        std::size_t chain, index;
        // Longest chain first, then plan order: a lab's many small chains
        // (a host's addresses, a NAT's rules) fill the gaps while one thread
        // works through the long one (the router every link meets).
        bool operator<(const Ready& other) const {
            if (chain != other.chain) return chain < other.chain;
            return index > other.index;
        }
    };
    std::priority_queue<Ready> ready_;
    std::size_t done_ = 0;
    std::string failure_;
    std::mutex mutex_;
    std::condition_variable changed_;

    void make_ready(std::size_t i) { ready_.push({chain_[i], i}); }
    std::size_t take_ready() {
        std::size_t i = ready_.top().index;
        ready_.pop();
        return i;
    }

    bool over() const { return !failure_.empty() || done_ == steps_.size(); }

    void fail(const std::string& why) {
        if (failure_.empty()) failure_ = why;
        changed_.notify_all();
    }

    std::string apply_one(const Step& step) {
        try {
            apply_(step);
            return "";
        } catch (const std::exception& e) {
            std::string what = e.what();
            return what.empty() ? describe(step) + " failed" : what;
        }
    }
};

}  // namespace

std::string run_steps(std::span<const Step> steps, unsigned threads,
                      const std::function<void(const Step&)>& apply,
                      const std::atomic<bool>* stop) {
    StepRunner runner(steps, apply, stop);
    std::vector<std::jthread> helpers =
        start_helpers(threads > 1 ? threads - 1 : 0, [&runner] { runner.work(); });
    runner.work();
    helpers.clear();  // joins
    return runner.failure();
}

unsigned lab_threads() {
    return std::clamp(std::thread::hardware_concurrency(), 1u, 2u);
}

}  // namespace natlab
