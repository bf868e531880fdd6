#include "core/util/threads.hpp"

#include <pthread.h>
#include <signal.h>

#include <algorithm>
#include <atomic>
#include <exception>
#include <mutex>

namespace natlab {

std::jthread start_helper(const std::function<void()>& work) {
    // Threads inherit the mask in force when they are made.
    sigset_t all, before;
    sigfillset(&all);
    pthread_sigmask(SIG_BLOCK, &all, &before);
    std::jthread helper(work);
    pthread_sigmask(SIG_SETMASK, &before, nullptr);
    return helper;
}

std::vector<std::jthread> start_helpers(unsigned count, const std::function<void()>& work) {
    std::vector<std::jthread> helpers;
    for (unsigned t = 0; t < count; ++t) helpers.push_back(start_helper(work));
    return helpers;
}

void parallel_for(std::size_t count, unsigned threads, const std::function<void(std::size_t)>& fn) {
    std::atomic<std::size_t> next{0};
    std::exception_ptr first_failure;
    std::mutex failure_mutex;
    auto work = [&] {
        for (std::size_t i; (i = next.fetch_add(1)) < count;) {
            try {
                fn(i);
            } catch (...) {
                std::lock_guard lock(failure_mutex);
                if (!first_failure) first_failure = std::current_exception();
            }
        }
    };
    std::size_t helpers = std::min<std::size_t>(threads, count);
    auto helping = start_helpers(helpers > 1 ? static_cast<unsigned>(helpers - 1) : 0, work);
    work();
    helping.clear();  // joins
    if (first_failure) std::rethrow_exception(first_failure);
}

}  // namespace natlab
