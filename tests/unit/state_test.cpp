#include <gtest/gtest.h>

#include <algorithm>

#include "core/lifecycle/state_format.hpp"
#include "core/names/marker.hpp"

using namespace natlab;

TEST(StateFormat, RoundTrips) {
    std::string text = state_header("demo", "/labs/demo.yaml") + state_netns_record("demo-a") +
                       state_netns_record("demo-b") + state_complete_record();
    auto state = parse_state(text, "demo");
    ASSERT_TRUE(state);
    EXPECT_EQ(state->lab, "demo");
    EXPECT_EQ(state->source, "/labs/demo.yaml");
    EXPECT_EQ(state->namespaces, (std::vector<std::string>{"demo-a", "demo-b"}));
    EXPECT_TRUE(state->complete);
}

TEST(StateFormat, CrashedCreateIsIncompleteAndTornLineIgnored) {
    std::string text =
        state_header("demo", "/x.yaml") + state_netns_record("demo-a") + "netns demo-";
    auto state = parse_state(text, "demo");
    ASSERT_TRUE(state);
    EXPECT_EQ(state->namespaces, std::vector<std::string>{"demo-a"});
    EXPECT_FALSE(state->complete);
}

TEST(StateFormat, RejectsForeignFiles) {
    EXPECT_FALSE(parse_state("hello\n", "demo"));
    EXPECT_FALSE(parse_state("", "demo"));
}

TEST(Marker, RoundTripsAndRejectsOtherAliases) {
    auto m = parse_marker(lab_marker("ci-7", "nat0"));
    ASSERT_TRUE(m);
    EXPECT_EQ(m->lab, "ci-7");
    EXPECT_EQ(m->node, "nat0");
    EXPECT_FALSE(parse_marker(""));
    EXPECT_FALSE(parse_marker("uplink to rack 4"));
}

// A file name may hold anything, newlines included: it must never start a
// record of its own (a "netns ../../some/file" made clean delete that file).
TEST(StateFormat, NoValueCanStartARecord) {
    std::string source = "/tmp/a\nnetns ../../etc/victim\ncontainer x ../../x 1 1 run\n%41 b.yaml";
    std::string text = state_header("demo", source) + state_netns_record("demo-a");
    EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 4);
    auto state = parse_state(text, "demo");
    ASSERT_TRUE(state);
    EXPECT_EQ(state->source, source);
    EXPECT_EQ(state->namespaces, std::vector<std::string>{"demo-a"});
    EXPECT_TRUE(state->containers.empty());
    EXPECT_TRUE(state->rejected.empty());
    EXPECT_EQ(decode_state_value(encode_state_value("100% \x1b\x7f\t")), "100% \x1b\x7f\t");
}

// Whatever a state file says, only what can be this lab's is taken.
TEST(StateFormat, RecordsThatCannotBeTheLabsAreRejected) {
    std::string text =
        "natlab-state 2\nlab demo\nsource /x.yaml\n"
        "netns demo-a\n"
        "netns ../../proc/1/ns/net\n"
        "netns other-a\n"
        "netns demo-\n"
        "netns demo-A/../b\n"
        "container c0 ../../../etc 4711 99 run\n"
        "container c0 other-c0 4711 99 run\n"
        "container c0 demo-c0 1 99 run\n"
        "container c1 demo-c1 4711 99 boot\n"
        "leader c1 0 5\n"
        "leader c9 4800 5\n";
    auto state = parse_state(text, "demo");
    ASSERT_TRUE(state);
    EXPECT_EQ(state->namespaces, std::vector<std::string>{"demo-a"});
    ASSERT_EQ(state->containers.size(), 1u);
    EXPECT_EQ(state->containers[0].machine, "demo-c1");
    EXPECT_FALSE(state->containers[0].leader);
    EXPECT_EQ(state->rejected,
              (std::vector<std::string>{
                  "netns ../../proc/1/ns/net", "netns other-a", "netns demo-", "netns demo-A/../b",
                  "container c0 ../../../etc 4711 99 run", "container c0 other-c0 4711 99 run",
                  "container c0 demo-c0 1 99 run", "leader c1 0 5", "leader c9 4800 5"}));
}

TEST(StateFormat, AnotherLabsStateIsNoneOfThisLabs) {
    EXPECT_FALSE(parse_state(state_header("demo-x", "/x.yaml"), "demo"));
    EXPECT_FALSE(parse_state("natlab-state 2\nsource /x.yaml\n", "demo"));
}

TEST(StateFormat, ReadsTheFormerVersion) {
    auto state = parse_state("natlab-state 1\nlab demo\nsource /a%41.yaml\nnetns demo-a\n", "demo");
    ASSERT_TRUE(state);
    EXPECT_EQ(state->source, "/a%41.yaml");
    EXPECT_EQ(state->namespaces, std::vector<std::string>{"demo-a"});
}

TEST(Marker, NamesNatlabWouldNeverGiveAreNoMarker) {
    EXPECT_FALSE(parse_marker("natlab lab=../../x node=y"));
    EXPECT_FALSE(parse_marker("natlab lab=a node=B"));
    auto m = parse_marker(lab_marker("q", "x-h1"));
    ASSERT_TRUE(m);
    EXPECT_TRUE(marks(*m, "q", "q-x-h1"));
    EXPECT_FALSE(marks(*m, "q-x", "q-x-h1"));
}

TEST(StateFormat, LiveChangesRoundTripInOrderAndForeignOnesAreRejected) {
    const std::vector<LiveChange> changes = {
        {"c0", "eth0", "delay 40ms loss 1%", std::nullopt, std::nullopt, std::nullopt},
        {"c0", "eth0", std::nullopt, false, std::nullopt, std::nullopt},
        {"c0", "eth0", "", std::nullopt, std::nullopt, std::nullopt},
        {"nat0", "", std::nullopt, std::nullopt, "type=symmetric port-range=none", std::nullopt},
        {"hv", "", std::nullopt, std::nullopt, std::nullopt, "virbr0.range=10.0.0.5-10.0.0.9"}};
    std::string text = state_header("lab1", "/x.yaml") + state_complete_record();
    for (const auto& c : changes) text += state_change_record(c);
    text += "link ../x eth0 down\nlink c0 eth0 sideways\nnat ../x type=full-cone\nnat nat0\n";
    auto state = parse_state(text, "lab1");
    ASSERT_TRUE(state);
    EXPECT_EQ(state->changes, changes);
    EXPECT_EQ(state->rejected,
              (std::vector<std::string>{"link ../x eth0 down", "link c0 eth0 sideways",
                                        "nat ../x type=full-cone", "nat nat0"}));
}

// A change is journalled as begun before the kernel is touched: until its
// own record (or an abandon) follows, the state says it is unfinished.
TEST(StateFormat, AChangeBegunIsPendingUntilItsRecordOrAnAbandonFollows) {
    const LiveChange nat{"nat0", "", std::nullopt, std::nullopt, "type=symmetric", std::nullopt};
    const LiveChange down{"c0", "eth0", std::nullopt, false, std::nullopt, std::nullopt};
    const PendingChange pending{nat, true, {4711, 123456}};
    const std::string head = state_header("lab1", "/x.yaml") + state_complete_record();
    EXPECT_EQ(state_begin_record(pending), "begin 4711 123456 nat nat0 type=symmetric drop\n");

    auto begun = parse_state(head + state_begin_record(pending), "lab1");
    ASSERT_TRUE(begun);
    EXPECT_EQ(begun->pending, pending);
    EXPECT_TRUE(begun->changes.empty());

    auto made = parse_state(head + state_begin_record(pending) + state_change_record(nat), "lab1");
    EXPECT_FALSE(made->pending);
    EXPECT_EQ(made->changes, std::vector<LiveChange>{nat});

    auto abandoned =
        parse_state(head + state_begin_record(pending) + state_abandon_record(), "lab1");
    EXPECT_FALSE(abandoned->pending);
    EXPECT_TRUE(abandoned->changes.empty());

    const PendingChange link{down, false, {4712, 99}};
    auto torn = parse_state(head + state_begin_record(link) + "link c0 eth0 do", "lab1");
    EXPECT_EQ(torn->pending, link);  // its record was torn by a crash: not made
    const PendingChange condition{
        {"c0", "eth0", "delay 40ms", std::nullopt, std::nullopt, std::nullopt}, false, {4713, 7}};
    EXPECT_EQ(parse_state(head + state_begin_record(condition), "lab1")->pending, condition);
}

TEST(StateFormat, BeginRecordsThatCannotBeTheLabsAreRejected) {
    std::string text = state_header("lab1", "/x.yaml") + state_complete_record() +
                       "begin 0 5 nat nat0 type=symmetric\n"
                       "begin 4711 5 nat ../x type=symmetric\n"
                       "begin 4711 5 link c0 eth0 sideways\n"
                       "begin 4711 5 netns lab1-x\n";
    auto state = parse_state(text, "lab1");
    ASSERT_TRUE(state);
    EXPECT_FALSE(state->pending);
    EXPECT_EQ(state->rejected.size(), 4u);
}
