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
// stop it between punches; the lab is removed however it ends.
MatrixResult run_matrix(const std::vector<MatrixType>& types, const std::string& name);

}  // namespace natlab
