// natlab graph: every bundled lab drawn as DOT and as Mermaid, against golden
// files (NATLAB_UPDATE_GOLDEN=1 rewrites them for a deliberate change).
#include <gtest/gtest.h>

#include <filesystem>

#include "core/lab/loaded_lab.hpp"
#include "core/render/render_graph.hpp"
#include "test_util.hpp"

using namespace natlab;

TEST(Graph, EveryBundledLabMatchesItsGoldenDiagrams) {
    int labs = 0;
    for (const auto& entry : std::filesystem::directory_iterator(test::source_path("labs"))) {
        if (entry.path().extension() != ".yaml") continue;
        ++labs;
        std::string stem = entry.path().stem().string();
        Lab lab = load_lab_file(entry.path().string()).lab;
        std::string dot = render_dot(lab), mermaid = render_mermaid(lab);
        EXPECT_EQ(dot, test::golden("tests/unit/golden/graph/" + stem + ".dot", dot)) << stem;
        EXPECT_EQ(mermaid, test::golden("tests/unit/golden/graph/" + stem + ".mmd", mermaid))
            << stem;
    }
    EXPECT_GE(labs, 5);
}

TEST(Graph, NatNodesShowTheirBehaviourAndOutsideInterface) {
    Lab lab = load_lab_file(test::source_path("labs/nat-types.yaml")).lab;
    std::string dot = render_dot(lab);
    EXPECT_NE(dot.find(R"("nat-sym" [shape=hexagon, style=filled, fillcolor="#fde2c8", )"
                       R"(label="nat-sym\nNAT: symmetric\nAPD mapping, APD filtering"];)"),
              std::string::npos)
        << dot;
    EXPECT_NE(dot.find(R"(headlabel="wan (outside)\n100.64.4.2/24")"), std::string::npos) << dot;
    EXPECT_NE(render_mermaid(lab).find(R"(nat_full{{"nat-full<br/>NAT: full-cone<br/>EI mapping, )"
                                       R"(EI filtering"}})"),
              std::string::npos);
}
