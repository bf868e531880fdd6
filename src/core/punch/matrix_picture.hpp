#pragma once
// natlab matrix --format svg|html: the hole-punching table as a picture. A
// grid of NAT types by NAT types, a colour per verdict with a legend, why
// each cell came out so on hover (SVG <title>, HTML title attribute) and,
// for every failure, as a numbered note beneath the table. Self-contained:
// no fonts, scripts or style sheets from elsewhere. Pure.
#include <string>

#include "core/punch/matrix_view.hpp"

namespace natlab {

// How to read the grid, under the title of both.
inline constexpr const char* kMatrixSubtitle =
    "Rows: the NAT type in front of host A; columns: the one in front of host B. Hover a cell "
    "for why; failures are numbered and explained below.";

std::string render_matrix_svg(const MatrixView& view);
std::string render_matrix_html(const MatrixView& view);

}  // namespace natlab
