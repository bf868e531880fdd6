#pragma once
// Helper threads: one, several, or several sharing a list of work.
#include <cstddef>
#include <functional>
#include <thread>
#include <vector>

namespace natlab {

// Starts a thread running `work`. It takes no signals: signals belong to the
// thread that started the work (it decides what an interrupt means), and a
// helper catching one would only cut a syscall short.
std::jthread start_helper(const std::function<void()>& work);
// Starts `count` of them.
std::vector<std::jthread> start_helpers(unsigned count, const std::function<void()>& work);

// Calls fn(0) .. fn(count - 1), each once, on up to `threads` threads (the
// caller's among them), and returns when all calls have returned. The first
// exception a call threw is rethrown then; the other calls still run.
void parallel_for(std::size_t count, unsigned threads, const std::function<void(std::size_t)>& fn);

}  // namespace natlab
