#pragma once
// natlab matrix on this machine: the matrix lab (core/punch/matrix) created
// under a unique name, every pair of NAT types punched, the lab removed.
#include <string>
#include <vector>

#include "core/punch/matrix.hpp"

namespace natlab {

struct MatrixResult {
    std::string lab;
    std::vector<MatrixCell> cells;  // row by row: A's type, then B's
};

// SIGINT, SIGTERM or SIGHUP stop it between punches; the lab is removed
// however it ends.
MatrixResult run_matrix();

}  // namespace natlab
