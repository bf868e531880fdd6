// parallel_for: every index once, on several threads, failures passed on.
#include "core/util/threads.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <set>
#include <stdexcept>

using namespace natlab;

namespace {

TEST(ParallelFor, CallsEveryIndexOnceOnSeveralThreads) {
    std::mutex mutex;
    std::multiset<std::size_t> seen;
    std::set<std::thread::id> threads;
    std::atomic<int> running{0};
    std::atomic<bool> overlapped{false};
    parallel_for(200, 4, [&](std::size_t i) {
        if (++running > 1) overlapped = true;
        std::this_thread::sleep_for(std::chrono::microseconds(200));
        --running;
        std::lock_guard lock(mutex);
        seen.insert(i);
        threads.insert(std::this_thread::get_id());
    });
    EXPECT_EQ(seen.size(), 200u);
    for (std::size_t i = 0; i < 200; ++i) EXPECT_EQ(seen.count(i), 1u) << i;
    EXPECT_GT(threads.size(), 1u);
    EXPECT_TRUE(overlapped);
}

TEST(ParallelFor, RethrowsTheFirstFailureAfterTheRestRan) {
    std::atomic<int> calls{0};
    try {
        parallel_for(50, 3, [&](std::size_t i) {
            ++calls;
            if (i % 10 == 3) throw std::runtime_error("item " + std::to_string(i));
        });
        FAIL() << "expected the failure";
    } catch (const std::runtime_error& e) {
        EXPECT_EQ(std::string(e.what()).rfind("item ", 0), 0u);
    }
    EXPECT_EQ(calls.load(), 50);
}

TEST(ParallelFor, NothingToDoIsDone) {
    parallel_for(0, 8, [](std::size_t) { FAIL() << "called"; });
}

}  // namespace
