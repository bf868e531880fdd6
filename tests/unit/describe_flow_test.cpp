// A conntrack event in plain words, as watch prints it.
#include <gtest/gtest.h>

#include "core/conntrack/describe_flow.hpp"
#include "flow_fixtures.hpp"

using namespace natlab;
using test::ep;
using test::kNames;
using test::outbound;

TEST(DescribeFlow, ANewMappingInTheWordsOfTheIssue) {
    auto flow = outbound(FlowEvent::created);
    EXPECT_EQ(raw_line(flow),
              "[NEW] udp 10.0.1.2:41807 -> 100.64.2.100:54321 reply 100.64.2.100:54321 -> "
              "100.64.1.100:41807 timeout 30 UNREPLIED");
    EXPECT_EQ(meaning(flow, kNames),
              "c0 10.0.1.2:41807 is now mapped to 100.64.1.100:41807 for nat1 "
              "100.64.2.100:54321; no reply yet; forgotten in 30 s");
}

TEST(DescribeFlow, ReplyAssuredDestroyInboundAndUntranslated) {
    auto flow = outbound(FlowEvent::updated);
    flow.replied = true;
    EXPECT_EQ(meaning(flow, kNames),
              "nat1 100.64.2.100:54321 answered c0 10.0.1.2:41807 through its mapping "
              "100.64.1.100:41807; forgotten in 30 s without traffic");
    flow.assured = true;
    flow.timeout_s = 120;
    EXPECT_EQ(meaning(flow, kNames),
              "c0 10.0.1.2:41807 and nat1 100.64.2.100:54321 talk both ways through "
              "100.64.1.100:41807 (assured); forgotten in 120 s without traffic");
    auto gone = outbound(FlowEvent::destroyed);
    EXPECT_EQ(meaning(gone, kNames),
              "c0 10.0.1.2:41807 is no longer mapped to 100.64.1.100:41807 for nat1 "
              "100.64.2.100:54321 (it never got a reply): the flow is gone");

    ConntrackFlow in;  // a port forward: 203.0.113.9:5000 -> 100.64.1.100:8080 -> c0:80
    in.event = FlowEvent::created;
    in.protocol = "tcp";
    in.original = {ep("203.0.113.9", 5000), ep("100.64.1.100", 8080)};
    in.reply = {ep("10.0.1.2", 80), ep("203.0.113.9", 5000)};
    in.dst_nat = true;
    EXPECT_EQ(meaning(in, kNames),
              "203.0.113.9:5000 came in through 100.64.1.100:8080 to c0 10.0.1.2:80; no reply yet");

    ConntrackFlow plain;
    plain.protocol = "icmp";
    plain.original = {ep("10.0.1.2", 0), ep("10.0.1.1", 0)};
    plain.reply = {ep("10.0.1.1", 0), ep("10.0.1.2", 0)};
    plain.replied = true;
    EXPECT_EQ(meaning(plain, kNames), "c0 10.0.1.2 -> 10.0.1.1, not translated; answered");
}
