// The pure parts of watch, mappings and punch: a flow in plain words, the
// mapping table from flows and learnt bindings, hole-punching theory.
#include <gtest/gtest.h>

#include "core/conntrack/describe_flow.hpp"
#include "core/conntrack/mapping_table.hpp"
#include "core/lab/loaded_lab.hpp"
#include "core/punch/punch_theory.hpp"
#include "test_util.hpp"

using namespace natlab;

namespace {

Endpoint ep(const char* address, std::uint16_t port) {
    return {*IpAddress::parse(address), port};
}

// c0 10.0.1.2:41807 -> 100.64.2.100:54321, translated to 100.64.1.100:41807.
ConntrackFlow outbound(FlowEvent event) {
    ConntrackFlow f;
    f.event = event;
    f.protocol = "udp";
    f.original = {ep("10.0.1.2", 41807), ep("100.64.2.100", 54321)};
    f.reply = {ep("100.64.2.100", 54321), ep("100.64.1.100", 41807)};
    f.timeout_s = 30;
    f.src_nat = true;
    return f;
}

const AddressBook kNames = {{*IpAddress::parse("10.0.1.2"), "c0"},
                            {*IpAddress::parse("100.64.2.100"), "nat1"}};

MappingFiltering mf(Dependence m, Dependence f) {
    return {m, f};
}

}  // namespace

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

TEST(MappingTable, FlowsAndLearntStateMakeOneRowPerMapping) {
    auto a = outbound(FlowEvent::none);
    auto b = outbound(FlowEvent::none);
    b.original.dst = b.reply.src = ep("203.0.113.5", 3478);
    b.replied = true;
    NatState state = parse_nat_state(
        {R"({"nftables": [{"metainfo": {}}, {"map": {"name": "eim", "elem": [[{"elem": {"val":
         {"concat": ["udp", "10.0.1.2", 41807]}, "expires": 110}}, {"concat": ["100.64.1.100",
         41807]}], [{"elem": {"val": {"concat": ["udp", "10.0.1.3", 5000]}, "expires": 7}},
         {"concat": ["100.64.1.100", 5000]}]]}}]})",
         R"({"nftables": [{"set": {"name": "peers", "elem": [{"elem": {"val": {"concat":
         ["udp", "100.64.2.100", 41807]}, "expires": 100}}]}}]})",
         ""});
    ASSERT_EQ(state.bindings.size(), 2u);
    ASSERT_EQ(state.peers.size(), 1u);
    NatBehaviour restricted;
    restricted.mf = mf(Dependence::endpoint_independent, Dependence::address_dependent);
    auto rows = mapping_table({a, b}, state, restricted);
    ASSERT_EQ(rows.size(), 2u);
    EXPECT_EQ(rows[0].inside, ep("10.0.1.2", 41807));
    EXPECT_EQ(rows[0].peers.size(), 2u);
    EXPECT_EQ(rows[0].binding_expires_s, 110);
    EXPECT_EQ(rows[0].allowed_in, "any port of 100.64.2.100, 203.0.113.5");
    EXPECT_TRUE(rows[1].peers.empty());
    Lab two_nat = load_lab_file(test::source_path("labs/two-nat.yaml"), "t").lab;
    PeerNames names(two_nat, "nat0");
    EXPECT_EQ(render_mapping_table(rows, names),
              "udp c0 10.0.1.2:41807 -> 100.64.1.100:41807   mapping lives 110 s more (binding "
              "kept 110 s)\n"
              "    peer c1 via nat1 100.64.2.100:54321: no reply yet, flow forgotten in 30 s\n"
              "    peer 203.0.113.5:3478: answered, flow forgotten in 30 s\n"
              "    allowed in: any port of 100.64.2.100, 203.0.113.5\n"
              "udp 10.0.1.3:5000 -> 100.64.1.100:5000   mapping lives 7 s more (binding kept 7 s)\n"
              "    no live flow: the binding alone keeps the port\n"
              "    allowed in: nobody (it has sent to no one lately)\n");
    auto json = mapping_table_json(rows, names);
    EXPECT_EQ(json[0]["inside_node"], "c0");
    EXPECT_EQ(json[0]["peers"][0].dump(),
              R"({"behind":null,"direction":"outbound","name":"c1 via nat1","node":"nat1",)"
              R"("reachable":true,"remote":"100.64.2.100:54321","replied":false,"timeout":30,)"
              R"("via":"nat1"})");
    EXPECT_EQ(json[0]["peers"][1].dump(),
              R"({"behind":null,"direction":"outbound","name":null,"node":null,"reachable":null,)"
              R"("remote":"203.0.113.5:3478","replied":true,"timeout":30,"via":null})");
    EXPECT_EQ(json[1]["inside_node"], nullptr);
}

TEST(PunchTheory, TheClassicTable) {
    const MappingFiltering full = classic_behaviour(NatType::full_cone),
                           restricted = classic_behaviour(NatType::restricted_cone),
                           port = classic_behaviour(NatType::port_restricted_cone),
                           sym = classic_behaviour(NatType::symmetric);
    for (auto other : {full, restricted, port, sym}) {
        EXPECT_TRUE(punch_works(full, other));
        EXPECT_TRUE(punch_works(other, full));
    }
    EXPECT_TRUE(punch_works(restricted, restricted));
    EXPECT_TRUE(punch_works(restricted, port));
    EXPECT_TRUE(punch_works(restricted, sym));
    EXPECT_TRUE(punch_works(port, port));
    EXPECT_FALSE(punch_works(port, sym));
    EXPECT_FALSE(punch_works(sym, port));
    EXPECT_FALSE(punch_works(sym, sym));
    // One way through is still no conversation: port-restricted x symmetric fails both ways.
    EXPECT_FALSE(punch_reaches(port, sym));
    EXPECT_FALSE(punch_reaches(sym, port));
    // A public peer (no NAT) reaches anyone whose NAT it was told about, except a symmetric
    // NAT that filters by port.
    EXPECT_TRUE(punch_works(std::nullopt, port));
    EXPECT_TRUE(punch_works(std::nullopt, sym));
}

TEST(PunchTheory, ABareBoxMakesARaceOnlyWhereTheLostPortMatters) {
    const PunchModel port{classic_behaviour(NatType::port_restricted_cone)};
    const PunchModel full{classic_behaviour(NatType::full_cone)};
    const PunchModel sym{classic_behaviour(NatType::symmetric)};
    PunchModel bare = port;
    bare.firewall = false;
    EXPECT_EQ(punch_expectation(port, port), PunchExpectation::works);
    // Losing the port makes the box map per destination: fine against a
    // full cone, fatal against a port-restricted cone.
    EXPECT_EQ(punch_expectation(bare, port), PunchExpectation::race);
    EXPECT_EQ(punch_expectation(bare, bare), PunchExpectation::race);
    EXPECT_EQ(punch_expectation(bare, full), PunchExpectation::works);
    EXPECT_EQ(punch_expectation(bare, sym), PunchExpectation::fails);
    PunchModel bare_full = full;
    bare_full.firewall = false;  // its filtering takes the early packet in
    EXPECT_EQ(punch_expectation(bare_full, port), PunchExpectation::works);
    EXPECT_EQ(punch_expectation(std::nullopt, bare), PunchExpectation::works);
}
