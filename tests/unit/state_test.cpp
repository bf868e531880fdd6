#include <gtest/gtest.h>

#include "core/lab/state_format.hpp"
#include "core/names/marker.hpp"

using namespace natlab;

TEST(StateFormat, RoundTrips) {
    std::string text = state_header("demo", "/labs/demo.yaml") + state_netns_record("demo-a") +
                       state_netns_record("demo-b") + state_complete_record();
    auto state = parse_state(text);
    ASSERT_TRUE(state);
    EXPECT_EQ(state->lab, "demo");
    EXPECT_EQ(state->source, "/labs/demo.yaml");
    EXPECT_EQ(state->namespaces, (std::vector<std::string>{"demo-a", "demo-b"}));
    EXPECT_TRUE(state->complete);
}

TEST(StateFormat, CrashedCreateIsIncompleteAndTornLineIgnored) {
    std::string text =
        state_header("demo", "/x.yaml") + state_netns_record("demo-a") + "netns demo-";
    auto state = parse_state(text);
    ASSERT_TRUE(state);
    EXPECT_EQ(state->namespaces, std::vector<std::string>{"demo-a"});
    EXPECT_FALSE(state->complete);
}

TEST(StateFormat, RejectsForeignFiles) {
    EXPECT_FALSE(parse_state("hello\n"));
    EXPECT_FALSE(parse_state(""));
}

TEST(Marker, RoundTripsAndRejectsOtherAliases) {
    auto m = parse_marker(lab_marker("ci-7", "nat0"));
    ASSERT_TRUE(m);
    EXPECT_EQ(m->lab, "ci-7");
    EXPECT_EQ(m->node, "nat0");
    EXPECT_FALSE(parse_marker(""));
    EXPECT_FALSE(parse_marker("uplink to rack 4"));
}
