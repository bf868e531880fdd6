#pragma once
// Applies a list of steps on several threads at once. A step starts only
// when the steps it waits for (plan/step_order) are done, so each namespace
// sees its steps in plan order while steps on different namespaces overlap.
#include <atomic>
#include <functional>
#include <span>
#include <string>
#include <vector>

#include "core/plan/step.hpp"

namespace natlab {

// Applies every step with `apply` on `threads` threads (the caller's among
// them) and returns "" when all succeeded. Otherwise it starts nothing new,
// waits for the steps already running, and returns the first failure's
// message, or "interrupted before <step>" when *stop turned true first.
std::string run_steps(std::span<const Step> steps, unsigned threads,
                      const std::function<void(const Step&)>& apply,
                      const std::atomic<bool>* stop = nullptr);

// How many threads creating a lab is worth: the kernel serialises most of
// the work (links, addresses and routes all take one lock), so beyond two
// threads only contention grows.
unsigned lab_threads();

}  // namespace natlab
