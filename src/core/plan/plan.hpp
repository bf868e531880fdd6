#pragma once
// Lab -> Plan: everything the kernel must hold, in an order it can be made in
// (per namespace, the order it must be made in).
// Pure and deterministic: one lab gives one plan, byte for byte.
#include <string>
#include <vector>

#include "core/names/netns_name.hpp"
#include "core/plan/step.hpp"
#include "core/topology/lab.hpp"

namespace natlab {

struct Plan {
    std::string lab;
    std::vector<Step> steps;

    std::vector<std::string> namespaces() const;
};

Plan make_plan(const Lab& lab);

}  // namespace natlab
