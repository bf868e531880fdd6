// YAML read with the guards yaml-cpp lacks: aliases may not make a small
// file stand for a huge tree, nor name the node they are inside; a file that
// uses them modestly loads as if written out. (A stray ',', which makes
// yaml-cpp 0.7.0 loop, is tested on the binary under a memory limit:
// test_cli.UntrustedInput.)
#include <gtest/gtest.h>

#include <string>

#include "core/input/yaml_documents.hpp"
#include "core/lifecycle/loaded_lab.hpp"
#include "core/render/render.hpp"
#include "core/topology/load.hpp"

namespace natlab {
namespace {

// The problems of loading `text`, rendered as natlab prints them.
std::string problems_of(const std::string& text) {
    Diagnostics diag("t.yaml");
    load_topology(text, "t.yaml", diag);
    return diag.render();
}

// One node with `routes` routes, and `copies` nodes that are that node
// again through an alias.
std::string one_node_many_times(int routes, int copies) {
    std::string text = "name: t\nnodes:\n  n0: &r {kind: host, routes: {";
    for (int i = 0; i < routes; ++i)
        text += (i ? ", " : "") + std::string("10.") + std::to_string(i / 256) + "." +
                std::to_string(i % 256) + ".0/24: 10.255.0.1";
    text += "}}\n";
    for (int i = 1; i <= copies; ++i) text += "  n" + std::to_string(i) + ": *r\n";
    return text + "links: []\n";
}

TEST(YamlDocuments, AliasesThatRepeatMoreNodesThanTheFileWritesAreRefusedAtTheAlias) {
    // 40 KB that a reader of the tree would meet as two million nodes.
    EXPECT_EQ(problems_of(one_node_many_times(1000, 1000)),
              "t.yaml:53:8: alias '*r': the aliases up to here repeat 100,250 nodes, more than "
              "natlab reads (as many nodes as the file writes, 4,013 here, or 100,000 in a "
              "smaller file); use fewer aliases, or anchor a smaller node\n");
}

TEST(YamlDocuments, NestedAliasesCountWhatTheyMultiply) {
    // Each level is ten of the one before: a billion nodes in under 400 bytes.
    std::string text = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n";
    for (int level = 1; level <= 9; ++level) {
        std::string below = "*a" + std::to_string(level - 1);
        text += "a" + std::to_string(level) + ": &a" + std::to_string(level) + " [";
        for (int i = 0; i < 10; ++i) text += (i ? ", " : "") + below;
        text += "]\n";
    }
    Diagnostics diag("t.yaml");
    EXPECT_FALSE(read_yaml_documents(text, diag));
    EXPECT_NE(
        diag.render().find("t.yaml:5:45: alias '*a3': the aliases up to here repeat 101,218 nodes"),
        std::string::npos)
        << diag.render();
}

TEST(YamlDocuments, AnAliasInsideTheNodeItNamesIsRefused) {
    EXPECT_EQ(problems_of("name: t\nnodes: &n\n  c0: {routes: *n}\n"),
              "t.yaml:3:16: alias '*n' is inside the node it names, which would make that node "
              "endless; name a node that ends before the alias\n");
}

TEST(YamlDocuments, AFileThatUsesAliasesModestlyLoadsAsIfWrittenOut) {
    const std::string written_out = R"(name: t
nodes:
  c0: {routes: {default: nat0}}
  c1: {routes: {default: nat0}}
  nat0: {kind: nat, outside: wan}
  internet: {kind: router}
links:
  - {endpoints: [nat0:lan, c0:eth0], subnet: 10.0.1.0/24}
  - {endpoints: [nat0:lan2, c1:eth0], subnet: 10.0.2.0/24}
  - {endpoints: [internet:to-nat0, nat0:wan], subnet: 100.64.1.0/24}
)";
    const std::string with_aliases = R"(name: t
nodes:
  c0: &host {routes: {default: nat0}}
  c1: *host
  nat0: {kind: nat, outside: wan}
  internet: {kind: router}
links:
  - {endpoints: [nat0:lan, c0:eth0], subnet: 10.0.1.0/24}
  - {endpoints: [nat0:lan2, c1:eth0], subnet: 10.0.2.0/24}
  - {endpoints: [internet:to-nat0, nat0:wan], subnet: 100.64.1.0/24}
)";
    EXPECT_EQ(render_text(load_lab_text(with_aliases, "t.yaml").plan),
              render_text(load_lab_text(written_out, "t.yaml").plan));
    // Up to 100,000 repeated nodes in a small file.
    EXPECT_EQ(problems_of(one_node_many_times(100, 400)), "");
}

TEST(YamlDocuments, EveryDocumentIsRead) {
    Diagnostics diag("t.yaml");
    auto documents = read_yaml_documents("a: 1\n---\nb: 2\n---\n", diag);
    ASSERT_TRUE(documents) << diag.render();
    EXPECT_EQ(documents->size(), 3u);
    EXPECT_TRUE(diag.empty());
}

}  // namespace
}  // namespace natlab
