// Wrong names on the command line: every command answers with the lab's
// names and the ones most likely meant.
#include <gtest/gtest.h>

#include <functional>

#include "core/lifecycle/loaded_lab.hpp"
#include "core/topology/node_lookup.hpp"
#include "core/util/invalid_input.hpp"
#include "core/util/text.hpp"
#include "test_util.hpp"

namespace natlab {
namespace {

TEST(DidYouMean, NamesEveryCandidateAsCloseUpToThree) {
    std::vector<std::string> two = {"nat-a", "nat-b", "host"};
    EXPECT_EQ(did_you_mean("nat-c", two), "; did you mean 'nat-a' or 'nat-b'?");
    std::vector<std::string> three = {"nat-a", "nat-b", "nat-d"};
    EXPECT_EQ(did_you_mean("nat-c", three), "; did you mean 'nat-a', 'nat-b' or 'nat-d'?");
    EXPECT_EQ(did_you_mean("nat-bb", two), "; did you mean 'nat-b'?");  // the closest alone
    // Four as close point at none; nothing close, nothing said.
    std::vector<std::string> four = {"n1", "n2", "n3", "n4"};
    EXPECT_EQ(did_you_mean("c9", four), "");
    EXPECT_EQ(did_you_mean("internet", two), "");
}

using test::refusal;

TEST(NodeLookup, AWrongNodeGetsTheLabsNodesAndTheNearest) {
    Lab lab = load_lab_file(test::source_path("labs/two-nat.yaml")).lab;
    EXPECT_EQ(refusal([&] { require_node(lab, "nat", "natlab exec"); }),
              "natlab exec: lab two-nat has no node 'nat'; its nodes are c0, c1, nat0, nat1, "
              "internet; did you mean 'nat0' or 'nat1'?");
    EXPECT_EQ(refusal([&] { require_host(lab, "c3", "natlab punch"); }),
              "natlab punch: lab two-nat has no node 'c3'; its hosts are c0, c1; did you mean "
              "'c0' or 'c1'?");
    // A node of another kind was not mistyped: no guess.
    EXPECT_EQ(refusal([&] { require_host(lab, "nat0", "natlab punch"); }),
              "natlab punch: 'nat0' is not a host of lab two-nat; its hosts are c0, c1");
    EXPECT_EQ(refusal([&] { require_nat_node(lab, "c0", "mappings"); }),
              "natlab: 'c0' is not a nat node of lab two-nat; only NAT nodes have mappings; its "
              "NAT nodes are nat0, nat1");
    EXPECT_EQ(refusal([&] { require_nat_node(lab, "nat2", "mappings"); }),
              "natlab: lab two-nat has no node 'nat2'; only NAT nodes have mappings; its NAT "
              "nodes are nat0, nat1; did you mean 'nat0' or 'nat1'?");
    EXPECT_EQ(&require_node(lab, "c1", "natlab exec"), lab.find_node("c1"));
}

}  // namespace
}  // namespace natlab
