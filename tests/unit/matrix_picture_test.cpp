// natlab matrix --format svg|html, and --from-json: the picture drawn from
// hand-made results (no punch is run), and a saved table read back.
#include <gtest/gtest.h>

#include "core/punch/matrix_picture.hpp"
#include "core/punch/matrix_read.hpp"
#include "test_util.hpp"

using namespace natlab;

namespace {

bool has(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

std::size_t count(const std::string& text, const std::string& part) {
    std::size_t n = 0;
    for (auto at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) ++n;
    return n;
}

MatrixCell cell(const MatrixType& a, const MatrixType& b, bool a_to_b, bool b_to_a,
                PunchExpectation expected) {
    MatrixCell c{a, b, {}};
    c.run.outcome.a.host = a.key + "-1";
    c.run.outcome.b.host = b.key + "-2";
    c.run.report.a_to_b = a_to_b;
    c.run.report.b_to_a = b_to_a;
    c.run.report.expected = expected;
    if (!a_to_b) c.run.report.why_not_a_to_b = "nat-" + b.key + "-2 let none of them in";
    if (!b_to_a) c.run.report.why_not_b_to_a = "nat-" + a.key + "-1 let none of them in";
    return c;
}

// Full cone and symmetric, as measured: one of each verdict, one way only
// once, and a cell that disagrees with theory.
struct HandMade {
    std::vector<MatrixType> types = parse_matrix_types("full-cone,symmetric+sequential");
    std::vector<MatrixCell> cells;
    HandMade() {
        const auto& full = types[0];
        const auto& sym = types[1];
        cells = {cell(full, full, true, true, PunchExpectation::works),
                 cell(full, sym, true, false, PunchExpectation::works),  // disagrees
                 cell(sym, full, true, true, PunchExpectation::race),
                 cell(sym, sym, false, false, PunchExpectation::fails)};
        cells[3].run.report.why_not_a_to_b = "<nat-sym-seq-2> & co";  // markup to escape
    }
    MatrixView view() const { return matrix_view("mx", types, cells); }
};

}  // namespace

TEST(MatrixPicture, EachCellHasItsVerdictWordsAndNote) {
    MatrixView v = HandMade().view();
    ASSERT_EQ(v.cells.size(), 4u);
    EXPECT_EQ(v.labels, (std::vector<std::string>{"full-cone", "symmetric+sequential"}));
    EXPECT_EQ(v.cells[0].verdict, CellVerdict::direct);
    EXPECT_EQ(v.cells[0].text, "direct");
    EXPECT_EQ(v.cells[0].note, 0);
    EXPECT_EQ(v.cells[1].verdict, CellVerdict::disagrees);
    EXPECT_EQ(v.cells[1].text, "failed, one way (theory: direct)");
    EXPECT_EQ(v.cells[1].note, 1);
    EXPECT_EQ(v.cells[1].title,
              "failed, one way (theory: direct). full-cone (full-1) -> symmetric+sequential "
              "(sym-seq-2): got through. symmetric+sequential (sym-seq-2) -> full-cone (full-1): "
              "nothing arrived: nat-full-1 let none of them in. Theory says a direct connection: "
              "this disagrees.");
    EXPECT_EQ(v.cells[2].verdict, CellVerdict::race);
    EXPECT_EQ(v.cells[2].text, "race: direct");
    EXPECT_EQ(v.cells[3].verdict, CellVerdict::failed);
    EXPECT_EQ(v.cells[3].note, 2);
    ASSERT_EQ(v.notes.size(), 2u);
    EXPECT_EQ(v.notes[1],
              "symmetric+sequential (sym-seq-1) -> symmetric+sequential (sym-seq-2): nothing "
              "arrived: <nat-sym-seq-2> & co. symmetric+sequential (sym-seq-2) -> "
              "symmetric+sequential (sym-seq-1): nothing arrived: nat-sym-seq-1 let none of them "
              "in. Theory says no direct connection.");
    EXPECT_FALSE(v.agrees);
    EXPECT_EQ(v.verdict, "1 cell disagrees with theory (outlined).");
    ASSERT_EQ(v.theory.size(), 2u);  // the race, and sequential allocation
    EXPECT_TRUE(v.theory[1].starts_with("Sequential allocation makes a NAT predictable"));
}

TEST(MatrixPicture, SvgColoursEachVerdictAndExplainsOnHoverAndBeneath) {
    std::string svg = render_matrix_svg(HandMade().view());
    EXPECT_TRUE(
        svg.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg "
                        "xmlns=\"http://www.w3.org/2000/svg\" "))
        << svg;
    EXPECT_TRUE(has(svg,
                    "<title>UDP hole punching between NAT types, measured in lab "
                    "mx</title>"));
    // A cell: its hover text, its colour, its words and its note's number.
    EXPECT_TRUE(has(svg,
                    "<g>\n<title>failed. symmetric+sequential (sym-seq-1) -&gt; "
                    "symmetric+sequential (sym-seq-2): nothing arrived: "
                    "&lt;nat-sym-seq-2&gt; &amp; co. "))
        << svg;
    for (const char* fill : {"#86efac", "#fecaca", "#fde68a", "#f0abfc"})
        EXPECT_EQ(count(svg, std::string("fill=\"") + fill + "\""), 2u) << fill;  // + legend
    EXPECT_TRUE(has(svg, ">failed, one way (theory: direct)</text>"));
    EXPECT_TRUE(has(svg, ">note 2</text>"));
    // The disagreeing cell outlined, once in the grid and once in the legend.
    EXPECT_EQ(count(svg, "stroke=\"#be123c\""), 2u);
    EXPECT_TRUE(has(svg, "fill=\"none\" stroke=\"#be123c\" stroke-width=\"3\"/>"));
    // The legend and the numbered notes, in words.
    EXPECT_TRUE(has(svg,
                    "<tspan font-weight=\"bold\">race</tspan>: theory cannot tell: which "
                    "first packet reaches the other NAT first decides, so either result "
                    "agrees</text>"));
    EXPECT_TRUE(has(svg, ">1 cell disagrees with theory (outlined).</text>"));
    EXPECT_TRUE(has(svg, ">Notes, numbered as in the cells:</text>"));
    EXPECT_TRUE(has(svg, ">2. symmetric+sequential (sym-seq-1) -&gt; symmetric+sequential "));
    EXPECT_FALSE(has(svg, "<nat-sym"));  // every reason escaped
}

TEST(MatrixPicture, HtmlIsOneSelfContainedPage) {
    std::string html = render_matrix_html(HandMade().view());
    EXPECT_TRUE(
        html.starts_with("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta "
                         "charset=\"utf-8\">\n"));
    EXPECT_TRUE(html.ends_with("</body>\n</html>\n"));
    EXPECT_TRUE(has(html,
                    "<tr><th>A \\ B</th><th>full-cone</th><th>symmetric+sequential</th>"
                    "</tr>\n<tr><th>full-cone</th><td class=\"direct\" style=\"background: "
                    "#86efac\" title=\"direct. full-cone (full-1) -&gt; full-cone "
                    "(full-2): got through. full-cone (full-2) -&gt; full-cone (full-1): "
                    "got through. Theory says a direct connection.\">direct</td>"))
        << html;
    EXPECT_TRUE(has(html, "<td class=\"disagrees\" style=\"background: #f0abfc\" title=\""));
    EXPECT_TRUE(has(html,
                    ">failed, one way (theory: direct)<br><small><a href=\"#note-1\">note "
                    "1</a></small></td>"));
    EXPECT_TRUE(has(html,
                    "<li id=\"note-2\">symmetric+sequential (sym-seq-1) -&gt; "
                    "symmetric+sequential (sym-seq-2): nothing arrived: &lt;nat-sym-seq-2&gt; "
                    "&amp; co. "));
    EXPECT_TRUE(has(html,
                    "<strong>failed</strong>: no direct connection, as theory says (the "
                    "note says why)</li>"));
    // Nothing fetched from elsewhere.
    for (const char* outside : {"http", "<script", "<link", "<img", "@import", "url("})
        EXPECT_FALSE(has(html, outside)) << outside;
}

TEST(MatrixPicture, ATableWithoutFailuresHasNoNotes) {
    auto types = parse_matrix_types("full-cone");
    std::vector<MatrixCell> cells{cell(types[0], types[0], true, true, PunchExpectation::works)};
    MatrixView v = matrix_view("mx", types, cells);
    EXPECT_TRUE(v.notes.empty());
    EXPECT_EQ(v.verdict, "Every cell agrees with theory.");
    EXPECT_FALSE(has(render_matrix_svg(v), "Notes"));
    EXPECT_FALSE(has(render_matrix_html(v), "<ol"));
}

TEST(MatrixRead, WhatMatrixJsonWritesReadsBackAsTheSameTable) {
    HandMade made;
    MatrixTable t = read_matrix_json(matrix_json("mx", made.cells), "mx.json");
    EXPECT_EQ(t.lab, "mx");
    ASSERT_EQ(t.types.size(), 2u);
    EXPECT_EQ(t.types[1].label, "symmetric+sequential");
    EXPECT_EQ(t.types[1].port_allocation, "sequential");  // known types come back whole
    ASSERT_EQ(t.cells.size(), 4u);
    for (std::size_t i = 0; i < 4; ++i) {
        const PunchReport& want = made.cells[i].run.report;
        const PunchReport& got = t.cells[i].run.report;
        EXPECT_EQ(got.a_to_b, want.a_to_b) << i;
        EXPECT_EQ(got.b_to_a, want.b_to_a) << i;
        EXPECT_EQ(got.expected, want.expected) << i;
        EXPECT_EQ(got.why_not_a_to_b, want.why_not_a_to_b) << i;
        EXPECT_EQ(got.why_not_b_to_a, want.why_not_b_to_a) << i;
    }
    EXPECT_EQ(render_matrix_svg(matrix_view(t.lab, t.types, t.cells)),
              render_matrix_svg(made.view()));
}

TEST(MatrixRead, ASavedRunReadsBack) {
    auto doc = nlohmann::json::parse(
        test::read_text(test::source_path("tests/unit/matrix/measured.json")));
    MatrixTable t = read_matrix_json(doc, "measured.json");
    ASSERT_EQ(t.types.size(), 4u);
    EXPECT_EQ(t.types[3].firewall, "false");  // masquerade+bare
    MatrixView v = matrix_view(t.lab, t.types, t.cells);
    int direct = 0, failed = 0, race = 0;
    for (const auto& c : v.cells) {
        direct += c.verdict == CellVerdict::direct;
        failed += c.verdict == CellVerdict::failed;
        race += c.verdict == CellVerdict::race;
    }
    EXPECT_EQ(direct, 8);
    EXPECT_EQ(failed, 5);
    EXPECT_EQ(race, 3);
    EXPECT_EQ(v.notes.size(), 7u);
    EXPECT_TRUE(v.agrees);
}

TEST(MatrixRead, WhatIsNotSuchATableIsRefusedNamingThePlace) {
    nlohmann::json good = matrix_json("mx", HandMade().cells);
    const std::string fix = "; give a file that 'natlab matrix --json' wrote";
    auto refusal = [](const nlohmann::json& doc) {
        return test::refusal([&] { read_matrix_json(doc, "t.json"); });
    };
    nlohmann::json doc = good;
    doc["pairs"][2].erase("a_to_b");
    EXPECT_EQ(refusal(doc), "natlab matrix: t.json: pairs[2] has no \"a_to_b\"" + fix);
    doc = good;
    doc["pairs"][1]["b_to_a"] = "yes";
    EXPECT_EQ(refusal(doc), "natlab matrix: t.json: pairs[1].b_to_a is string, not boolean" + fix);
    doc = good;
    doc["pairs"][0]["theory"] = "maybe";
    EXPECT_EQ(refusal(doc),
              "natlab matrix: t.json: pairs[0].theory is 'maybe', not one of works, "
              "fails, a race" +
                  fix);
    doc = good;
    doc["pairs"].erase(3);
    EXPECT_EQ(refusal(doc),
              "natlab matrix: t.json: \"pairs\" holds 3 pairs of 2 types (full-cone, "
              "symmetric+sequential), not every pair of them (4)" +
                  fix);
    doc = good;
    std::swap(doc["pairs"][1], doc["pairs"][2]);
    EXPECT_EQ(refusal(doc),
              "natlab matrix: t.json: pairs[1] is 'symmetric+sequential' -> "
              "'full-cone' where 'full-cone' -> 'symmetric+sequential' belongs "
              "(row by row)" +
                  fix);
    EXPECT_EQ(refusal(nlohmann::json::array()),
              "natlab matrix: t.json: the document is not an "
              "object" +
                  fix);
}
