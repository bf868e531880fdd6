#pragma once
// The narrow interfaces between the pure core and the kernel: abstract so the
// rollback logic can be tested with a recording fake, without root.
#include <string>

#include "plan/step.hpp"

namespace natlab {

class Executor {
  public:
    virtual ~Executor() = default;
    // Makes the step true in the kernel; throws KernelError naming the step.
    virtual void apply(const Step& step) = 0;
    // Removes a namespace and all it holds; one already gone counts as removed.
    virtual void remove_netns(const std::string& netns) = 0;
};

// Where apply writes down what it is about to make, so that a crash at any
// point leaves a record clean-up can follow.
class Journal {
  public:
    virtual ~Journal() = default;
    virtual void record_netns(const std::string& netns) = 0;
};

}  // namespace natlab
