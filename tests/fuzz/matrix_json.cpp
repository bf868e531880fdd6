// A saved matrix (natlab matrix --from-json): JSON read into a table, and the
// table drawn as text, SVG and HTML.
#include "core/punch/matrix.hpp"
#include "core/punch/matrix_picture.hpp"
#include "core/punch/matrix_read.hpp"
#include "core/punch/matrix_view.hpp"
#include "core/util/invalid_input.hpp"
#include "fuzz_target.hpp"

using namespace natlab;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    nlohmann::json doc = nlohmann::json::parse(fuzz::text_of(data, size), nullptr, false);
    if (doc.is_discarded()) return 0;
    try {
        MatrixTable table = read_matrix_json(doc, "fuzz.json");
        render_matrix(table.lab, table.types, table.cells);
        MatrixView view = matrix_view(table.lab, table.types, table.cells);
        render_matrix_svg(view);
        render_matrix_html(view);
    } catch (const InvalidInput&) {
    }
    return 0;
}
