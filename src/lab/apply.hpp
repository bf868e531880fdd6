#pragma once
#include <atomic>
#include <stdexcept>

#include "lab/executor.hpp"
#include "plan/plan.hpp"

namespace natlab {

// A create that failed and was rolled back; the message names the step, the
// kernel's reason, and anything the rollback could not remove.
class ApplyError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

// Applies every step in order, then waits for the containers to be ready.
// On the first failure (or when *stop turns true) stops the containers and
// removes every namespace recorded so far, newest first, and throws
// ApplyError. Namespaces are recorded before they are made.
void apply_plan(const Plan& plan, Executor& executor, ContainerRuntime& runtime, Journal& journal,
                const std::atomic<bool>* stop = nullptr);

}  // namespace natlab
