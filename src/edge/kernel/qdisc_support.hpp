#pragma once
// Whether this kernel has the queueing disciplines link conditions use:
// tried in a scratch namespace before a lab is made, so that a missing one
// refuses the lab instead of failing half-way.
#include <string>

namespace natlab {

// "" when the kernel has it, else what the kernel said ("No such file or
// directory (Specified qdisc kind is unknown.)").
std::string qdisc_refusal(const std::string& kind);

}  // namespace natlab
