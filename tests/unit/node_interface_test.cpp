// NODE:IFACE as written and printed.
#include <gtest/gtest.h>

#include "core/topology/node_interface.hpp"

namespace natlab {
namespace {

TEST(NodeInterface, SplitsAtTheFirstColonAndPrintsBack) {
    auto end = NodeInterface::parse("nat0:wan");
    ASSERT_TRUE(end);
    EXPECT_EQ(end->node, "nat0");
    EXPECT_EQ(end->interface, "wan");
    EXPECT_EQ(end->str(), "nat0:wan");
    EXPECT_EQ(NodeInterface::parse("a:b:c")->interface, "b:c");  // the caller refuses it
    EXPECT_EQ(NodeInterface::parse("nat0:")->interface, "");
    EXPECT_FALSE(NodeInterface::parse("nat0"));
}

TEST(NodeInterface, ATargetNamesAnInterfaceOrANode) {
    EXPECT_TRUE(names_interface("c0:eth0"));
    EXPECT_FALSE(names_interface("nat0"));
}

}  // namespace
}  // namespace natlab
