#pragma once
// The narrow interfaces between the pure core and the kernel: abstract so the
// rollback logic can be tested with a recording fake, without root.
#include <atomic>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "core/lifecycle/state_format.hpp"
#include "core/plan/step.hpp"

namespace natlab {

class Executor {
  public:
    virtual ~Executor() = default;
    // Makes the step true in the kernel; throws KernelError naming the step.
    // Called from several threads at once, but never for two steps that
    // touch one namespace (plan/step_order).
    virtual void apply(const Step& step) = 0;
    // Removes a namespace and all it holds; one already gone counts as removed.
    virtual void remove_netns(const std::string& netns) = 0;
};

// Where apply writes down what it is about to make, so that a crash at any
// point leaves a record clean-up can follow.
class Journal {
  public:
    virtual ~Journal() = default;
    virtual void record_namespaces(const std::vector<std::string>& namespaces) = 0;
    virtual void record_container(const ContainerRecord& container) = 0;
    virtual void record_leader(const std::string& node, const ProcessRecord& leader) = 0;
};

// Runs a lab's containers: started one by one without waiting, then waited
// for together, so they boot in parallel.
class ContainerRuntime {
  public:
    virtual ~ContainerRuntime() = default;
    // Starts the container and returns at once.
    virtual ContainerRecord start(const StartContainer& step) = 0;
    // Calls on_leader(node, PID 1) as soon as each container's leader is
    // known, and returns when every started container is ready. Throws naming
    // the first that failed or was not ready in time, or when *stop turns true.
    using LeaderCallback = std::function<void(const std::string&, const ProcessRecord&)>;
    virtual void wait_ready(const std::atomic<bool>* stop, const LeaderCallback& on_leader) = 0;
    // Stops every container started; used when a create is rolled back.
    virtual void stop_all() = 0;
};

}  // namespace natlab
