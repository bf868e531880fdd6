#pragma once
// What a person can look at without root, rendered from the Plan so that
// what they see is exactly what gets applied.
#include <string>

#include "core/plan/plan.hpp"

namespace natlab {

// One line per step, NAT rules shown in full.
std::string render_text(const Plan& plan);
// An equivalent POSIX shell script of ip/sysctl/nft commands: `sh FILE up`
// builds the lab, `sh FILE down` removes it.
std::string render_shell(const Plan& plan);

}  // namespace natlab
