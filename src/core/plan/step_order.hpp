#pragma once
// Which steps of a plan must wait for which. Steps on different namespaces do
// not affect each other in the kernel, so only the plan order within each
// namespace matters: a step waits for the latest earlier step on every
// namespace it touches (a veth pair touches two), and a daemon also for the
// latest earlier step on each namespace it starts `after`. Applying steps in any order
// that respects this gives the kernel exactly what applying them in plan
// order gives, which is what lets the executor use several threads.
#include <cstddef>
#include <span>
#include <string>
#include <vector>

#include "core/plan/step.hpp"

namespace natlab {

// The namespaces a step changes, in the order the step names them.
std::vector<std::string> namespaces_touched(const Step& step);

// For each step, the indices of the earlier steps it must wait for (at most
// one per namespace it touches or waits for, ascending, none repeated).
std::vector<std::vector<std::size_t>> step_prerequisites(std::span<const Step> steps);

// For each step, how many steps the longest chain of waiting steps starting
// with it holds (itself included). Starting the longest chains first keeps
// every thread supplied with steps it can take.
std::vector<std::size_t> chain_lengths(const std::vector<std::vector<std::size_t>>& prerequisites);

}  // namespace natlab
