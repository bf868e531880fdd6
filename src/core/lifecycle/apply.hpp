#pragma once
#include <atomic>
#include <stdexcept>

#include "core/lifecycle/executor.hpp"
#include "core/plan/plan.hpp"

namespace natlab {

// A create that failed and was rolled back; the message names the step, the
// kernel's reason, and anything the rollback could not remove.
class ApplyError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

struct ApplyOptions {
    const std::atomic<bool>* stop = nullptr;  // true: roll back before the next step
    unsigned threads = 1;                     // for the network steps (lab/step_runner)
};

// Records the plan's namespaces, applies the network steps (each namespace's
// in plan order, different namespaces on `threads` threads), then starts the
// containers and waits for them to be ready. On the first failure (or when
// *stop turns true) stops the containers, removes every namespace this run
// created, newest first (never one whose creation failed: its name was
// someone else's), and throws ApplyError.
void apply_plan(const Plan& plan, Executor& executor, ContainerRuntime& runtime, Journal& journal,
                const ApplyOptions& options = {});

}  // namespace natlab
