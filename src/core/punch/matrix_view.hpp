#pragma once
// natlab matrix as a picture, before it is drawn: each cell's verdict (one
// colour each), the words shown in it and on hover, and the numbered notes
// printed beneath the table, where hovering does not reach (paper). Shared
// by the SVG and HTML renderers so both say the same. Pure.
#include <array>
#include <string>
#include <vector>

#include "core/punch/matrix.hpp"

namespace natlab {

// A cell's colour: what was measured, and whether theory agrees.
enum class CellVerdict { direct, failed, race, disagrees };

struct VerdictStyle {
    CellVerdict verdict;
    const char* name;     // "direct"
    const char* fill;     // "#86efac"
    const char* meaning;  // one sentence, for the legend
};
const std::array<VerdictStyle, 4>& verdict_styles();
const VerdictStyle& style_of(CellVerdict verdict);
// Cells that disagree with theory are outlined in this colour too.
inline constexpr const char* kDisagreeOutline = "#be123c";

struct CellView {
    std::string a, b;  // the types' labels: row, column
    CellVerdict verdict = CellVerdict::direct;
    std::string text;   // in the cell: "direct", "failed", "race: failed", ...
    std::string title;  // on hover: the verdict and why, each way
    int note = 0;       // its number in `notes` (1-based), 0 without one
};

struct MatrixView {
    std::string lab;
    std::vector<std::string> labels;  // the types, rows and columns alike
    std::vector<CellView> cells;      // row by row
    bool agrees = true;
    std::string verdict;              // "Every cell agrees with theory." or how many do not
    std::vector<std::string> notes;   // "full-cone -> symmetric: ...", numbered from 1
    std::vector<std::string> theory;  // what theory leaves open (races) or does not use
};

// `cells` row by row (A's type, then B's), as run_matrix returns them.
MatrixView matrix_view(const std::string& lab, const std::vector<MatrixType>& types,
                       const std::vector<MatrixCell>& cells);

// What theory leaves open or does not use, for the types compared: a
// paragraph each (also the end of the text table).
std::vector<std::string> matrix_theory_notes(const std::vector<MatrixType>& types,
                                             const std::vector<MatrixCell>& cells);

}  // namespace natlab
