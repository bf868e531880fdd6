// natlab serve's pure parts: which requests it answers, how a slow page is
// told what it missed, the flow table its views are drawn from, and the
// lab's view.
#include <gtest/gtest.h>

#include <thread>

#include "core/lifecycle/loaded_lab.hpp"
#include "core/serve/event_queue.hpp"
#include "core/serve/flow_table.hpp"
#include "core/serve/lab_view.hpp"
#include "core/serve/page.hpp"
#include "core/serve/request_guard.hpp"
#include "test_util.hpp"

namespace natlab {
namespace {

using namespace std::chrono_literals;

TEST(RequestGuard, LoopbackAnswersItsOwnAddressAndLocalhostOnly) {
    ListenAddress at = parse_listen_address("127.0.0.1:7180");
    EXPECT_TRUE(host_allowed("127.0.0.1:7180", at));
    EXPECT_TRUE(host_allowed("localhost:7180", at));
    EXPECT_TRUE(host_allowed("[::1]:7180", at));
    // DNS rebinding: another site's name resolving to 127.0.0.1.
    EXPECT_FALSE(host_allowed("attacker.example:7180", at));
    EXPECT_FALSE(host_allowed("localhost.attacker.example:7180", at));
    EXPECT_FALSE(host_allowed("127.0.0.1:80", at));
    EXPECT_FALSE(host_allowed("", at));
}

TEST(RequestGuard, EveryAddressTakesAddressesNeverNames) {
    ListenAddress at = parse_listen_address("0.0.0.0:7180");
    EXPECT_TRUE(host_allowed("192.0.2.7:7180", at));
    EXPECT_TRUE(host_allowed("[2001:db8::7]:7180", at));
    EXPECT_TRUE(host_allowed("localhost:7180", at));
    EXPECT_FALSE(host_allowed("classroom.example:7180", at));
    EXPECT_FALSE(host_allowed("192.0.2.7:7181", at));
}

TEST(RequestGuard, ListenAddresses) {
    EXPECT_EQ(parse_listen_address("[::1]:0").authority(), "[::1]:0");
    EXPECT_EQ(parse_listen_address("localhost:7180").authority(), "127.0.0.1:7180");
    EXPECT_TRUE(parse_listen_address("7180").host.empty());
    EXPECT_TRUE(parse_listen_address("127.0.0.1:http").host.empty());
    EXPECT_TRUE(parse_listen_address("127.0.0.1:70000").host.empty());
}

TEST(RequestGuard, TokensMatchWhole) {
    EXPECT_TRUE(token_matches("c99cd12a", "c99cd12a"));
    EXPECT_FALSE(token_matches("c99cd12", "c99cd12a"));
    EXPECT_FALSE(token_matches("c99cd12a0", "c99cd12a"));
    EXPECT_FALSE(token_matches("", "c99cd12a"));
    EXPECT_FALSE(token_matches("", ""));
}

TEST(EventQueue, AFullQueueCountsWhatItDrops) {
    EventQueue queue(3);
    for (int i = 0; i < 10; ++i) queue.push(std::to_string(i));
    auto taken = queue.take(0ms);
    EXPECT_EQ(taken.events, (std::vector<std::string>{"0", "1", "2"}));
    EXPECT_EQ(taken.skipped, 7u);
    taken = queue.take(0ms);
    EXPECT_TRUE(taken.events.empty());
    EXPECT_EQ(taken.skipped, 0u);
}

TEST(EventQueue, ATakeWakesWhenAnEventComes) {
    EventQueue queue(10);
    std::thread later([&] {
        std::this_thread::sleep_for(20ms);
        queue.push("flow");
    });
    auto taken = queue.take(5000ms);
    later.join();
    EXPECT_EQ(taken.events, std::vector<std::string>{"flow"});
}

ConntrackFlow flow(FlowEvent event, int timeout) {
    ConntrackFlow f;
    f.event = event;
    f.protocol = "udp";
    auto at = [](const char* ip, std::uint16_t port) {
        return Endpoint{*IpAddress::parse(ip), port};
    };
    f.original = {at("10.0.1.2", 4242), at("100.64.2.100", 7777)};
    f.reply = {at("100.64.2.100", 7777), at("100.64.1.100", 4242)};
    f.timeout_s = timeout;
    return f;
}

TEST(FlowTable, EventsLayOverTheDumpAndTimeoutsCountDown) {
    FlowTable table;
    auto start = FlowTable::Clock::now();
    table.replace({}, start);
    table.apply(flow(FlowEvent::created, 30), start);
    auto flows = table.flows(start + 10s);
    ASSERT_EQ(flows.size(), 1u);
    EXPECT_EQ(flows[0].timeout_s, 20);
    table.apply(flow(FlowEvent::updated, 120), start + 10s);
    EXPECT_EQ(table.flows(start + 20s)[0].timeout_s, 110);
    EXPECT_TRUE(table.flows(start + 200s).empty());  // ran out without a DESTROY
    table.apply(flow(FlowEvent::destroyed, 0), start + 20s);
    EXPECT_EQ(table.size(), 0u);
}

TEST(LabView, NodesLinksAndSides) {
    LoadedLab loaded = load_lab_text(
        "name: v\nnodes:\n  c0: {routes: {default: nat0}}\n"
        "  nat0: {kind: nat, outside: wan, type: full-cone, routes: {default: internet}}\n"
        "  internet: {kind: router}\n"
        "links:\n  - {endpoints: [nat0:lan, c0:eth0], subnet: 10.0.1.0/24}\n"
        "  - {endpoints: [internet:to-nat0, nat0:wan], subnet: 100.64.1.0/24, delay: 20ms}\n",
        "v.yaml");
    auto view = lab_view_json(loaded.lab);
    EXPECT_EQ(view["lab"], "v");
    ASSERT_EQ(view["nodes"].size(), 3u);
    EXPECT_EQ(view["nodes"][1]["name"], "nat0");
    EXPECT_EQ(view["nodes"][1]["lines"][0], "NAT: full-cone");
    EXPECT_EQ(view["nodes"][1]["interfaces"][0]["side"], "inside");
    EXPECT_EQ(view["links"][1]["b"]["side"], "outside");
    EXPECT_EQ(view["links"][1]["a"]["sends"], "delay 20ms");
    EXPECT_EQ(view["links"][1]["down"], false);
}

TEST(Page, SelfContained) {
    std::string_view page = lab_page();
    // Nothing is fetched from elsewhere: no CDN script, no font, no icon
    // (the SVG and XHTML namespace names are names, never fetched).
    for (const char* fetch : {"src=\"http", "href=\"http", "url(", "@import", "https://"})
        EXPECT_EQ(page.find(fetch), std::string_view::npos) << fetch;
    EXPECT_NE(page.find("rel=\"icon\" href=\"data:,\""), std::string_view::npos);
    EXPECT_NE(page.find("new EventSource"), std::string_view::npos);
    EXPECT_NE(index_page({"a<b"}).find("a&lt;b"), std::string::npos);
}

}  // namespace
}  // namespace natlab
