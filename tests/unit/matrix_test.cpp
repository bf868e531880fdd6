// natlab matrix's lab, built as data, and its table.
#include <gtest/gtest.h>

#include "core/lab/loaded_lab.hpp"
#include "core/punch/matrix.hpp"
#include "core/render/render.hpp"

using namespace natlab;

namespace {

// The lab the matrix has always built, as a file would write it.
const char* kWritten = R"(name: matrix
nodes:
  internet: {kind: router}
  nat-full-1: {kind: nat, type: full-cone, outside: wan, routes: {default: internet}}
  full-1: {routes: {default: nat-full-1}}
  nat-full-2: {kind: nat, type: full-cone, outside: wan, routes: {default: internet}}
  full-2: {routes: {default: nat-full-2}}
  nat-restricted-1: {kind: nat, type: restricted-cone, outside: wan, routes: {default: internet}}
  restricted-1: {routes: {default: nat-restricted-1}}
  nat-restricted-2: {kind: nat, type: restricted-cone, outside: wan, routes: {default: internet}}
  restricted-2: {routes: {default: nat-restricted-2}}
  nat-port-1: {kind: nat, type: port-restricted-cone, outside: wan, routes: {default: internet}}
  port-1: {routes: {default: nat-port-1}}
  nat-port-2: {kind: nat, type: port-restricted-cone, outside: wan, routes: {default: internet}}
  port-2: {routes: {default: nat-port-2}}
  nat-sym-1: {kind: nat, type: symmetric, outside: wan, routes: {default: internet}}
  sym-1: {routes: {default: nat-sym-1}}
  nat-sym-2: {kind: nat, type: symmetric, outside: wan, routes: {default: internet}}
  sym-2: {routes: {default: nat-sym-2}}
links:
  - {endpoints: [nat-full-1:lan, full-1:eth0], subnet: 10.0.1.0/24}
  - {endpoints: [internet:full-1, nat-full-1:wan], subnet: 100.64.1.0/24}
  - {endpoints: [nat-full-2:lan, full-2:eth0], subnet: 10.0.2.0/24}
  - {endpoints: [internet:full-2, nat-full-2:wan], subnet: 100.64.2.0/24}
  - {endpoints: [nat-restricted-1:lan, restricted-1:eth0], subnet: 10.0.3.0/24}
  - {endpoints: [internet:restricted-1, nat-restricted-1:wan], subnet: 100.64.3.0/24}
  - {endpoints: [nat-restricted-2:lan, restricted-2:eth0], subnet: 10.0.4.0/24}
  - {endpoints: [internet:restricted-2, nat-restricted-2:wan], subnet: 100.64.4.0/24}
  - {endpoints: [nat-port-1:lan, port-1:eth0], subnet: 10.0.5.0/24}
  - {endpoints: [internet:port-1, nat-port-1:wan], subnet: 100.64.5.0/24}
  - {endpoints: [nat-port-2:lan, port-2:eth0], subnet: 10.0.6.0/24}
  - {endpoints: [internet:port-2, nat-port-2:wan], subnet: 100.64.6.0/24}
  - {endpoints: [nat-sym-1:lan, sym-1:eth0], subnet: 10.0.7.0/24}
  - {endpoints: [internet:sym-1, nat-sym-1:wan], subnet: 100.64.7.0/24}
  - {endpoints: [nat-sym-2:lan, sym-2:eth0], subnet: 10.0.8.0/24}
  - {endpoints: [internet:sym-2, nat-sym-2:wan], subnet: 100.64.8.0/24}
)";

MatrixCell cell(const MatrixType& a, const MatrixType& b, bool works, bool expected) {
    MatrixCell c{a, b, {}};
    c.run.report.a_to_b = c.run.report.b_to_a = works;
    c.run.report.expected = expected;
    if (!works) c.run.report.why_not_a_to_b = a.key + " cannot reach " + b.key;
    return c;
}

}  // namespace

TEST(Matrix, TheLabBuiltAsDataIsTheLabItAlwaysWas) {
    LoadedLab data = load_lab_topology(matrix_topology(), "matrix-1a2b3c");
    LoadedLab written = load_lab_text(kWritten, "<matrix>", "matrix-1a2b3c");
    EXPECT_EQ(render_shell(data.plan), render_shell(written.plan));
    EXPECT_EQ(data.lab.nodes.size(), 17u);
    EXPECT_EQ(data.lab.name, "matrix-1a2b3c");
    EXPECT_NE(data.text.find("name: matrix-1a2b3c"), std::string::npos) << data.text;
}

TEST(Matrix, TheTableShowsEveryCellAndWhyFailuresFail) {
    std::vector<MatrixCell> cells;
    for (const auto& a : matrix_types())
        for (const auto& b : matrix_types()) {
            bool sym = a.type == NatType::symmetric || b.type == NatType::symmetric;
            cells.push_back(cell(a, b, !sym, !sym));
        }
    cells.back() = cell(matrix_types().back(), matrix_types().back(), false, true);
    std::string text = render_matrix("matrix-x", cells);
    EXPECT_NE(text.find("(measured in lab matrix-x)"), std::string::npos) << text;
    EXPECT_NE(text.find("symmetric             fails                 fails"), std::string::npos)
        << text;
    EXPECT_NE(text.find("fails (theory: works)"), std::string::npos) << text;
    EXPECT_NE(text.find("Some cells disagree with theory (marked)."), std::string::npos) << text;
    EXPECT_NE(text.find("  full-cone -> symmetric: full cannot reach sym\n"), std::string::npos)
        << text;
    // Each failing pair once: sym -> full is full -> sym seen from the other side.
    EXPECT_EQ(text.find("  symmetric -> full-cone"), std::string::npos) << text;
    EXPECT_FALSE(agrees_with_theory(cells));
    auto j = matrix_json("matrix-x", cells);
    EXPECT_EQ(j["pairs"].size(), 16u);
    EXPECT_EQ(j["agrees_with_theory"], false);
}
