#pragma once
// natlab matrix on this machine: the matrix lab (core/punch/matrix) created,
// every pair of its NAT types punched, the lab removed.
#include <string>
#include <vector>

#include "core/punch/matrix.hpp"

namespace natlab {

struct MatrixResult {
    std::string lab;
    std::vector<MatrixCell> cells;  // row by row: A's type, then B's
};

// The lab is called `name`, else matrix-<random>. SIGINT, SIGTERM or SIGHUP
// stop it between punches; the lab is removed however it ends. Over IPv6 the
// lab is dual-stack and the hosts punch through their NATs' IPv6 sides.
MatrixResult run_matrix(const std::vector<MatrixType>& types, const std::string& name,
                        Family family = Family::ipv4);

}  // namespace natlab
