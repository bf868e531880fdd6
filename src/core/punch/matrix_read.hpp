#pragma once
// A table natlab matrix --json wrote, read back for drawing it again
// (natlab matrix --from-json FILE --format svg): a CI run's result becomes
// a picture without root or a new run. Pure.
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/punch/matrix.hpp"

namespace natlab {

struct MatrixTable {
    std::string lab;
    std::vector<MatrixType> types;  // in the order of the rows
    std::vector<MatrixCell> cells;  // row by row
};

// What the table needs of each pair: both types, both hosts, what got
// through each way and why not, and theory's verdict. Throws InvalidInput
// naming `source`, the pair and the field when the document is not such a
// table.
MatrixTable read_matrix_json(const nlohmann::json& doc, const std::string& source);

}  // namespace natlab
