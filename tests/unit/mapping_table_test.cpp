// The mapping table that mappings prints, from flows and learnt bindings.
#include <gtest/gtest.h>

#include "core/conntrack/mapping_table.hpp"
#include "core/lifecycle/loaded_lab.hpp"
#include "flow_fixtures.hpp"
#include "test_util.hpp"

using namespace natlab;
using test::ep;
using test::kNames;
using test::outbound;

namespace {

MappingFiltering mf(Dependence m, Dependence f) {
    return {m, f};
}

}  // namespace

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

namespace {

ConntrackFlow udp6(const char* src, std::uint16_t sport, const char* dst, std::uint16_t dport) {
    ConntrackFlow f;
    f.protocol = "udp";
    f.original = {ep(src, sport), ep(dst, dport)};
    f.reply = {f.original.dst, f.original.src};
    f.timeout_s = 25;
    f.replied = true;
    return f;
}

Ipv6Side firewall(Dependence filtering) {
    Ipv6Side side;
    side.mode = Ipv6Mode::firewall;
    side.behaviour.mf.filtering = filtering;
    side.inside_networks = {*Cidr::parse("2001:db8:1:1::/64")};
    return side;
}

}  // namespace

TEST(MappingTable, AnIpv6FirewallListsEachInsideEndpointAsItsOwn) {
    auto out = udp6("2001:db8:1:1::2", 4000, "2001:db8:2::2", 5000);
    auto in = udp6("2001:db8:2::9", 6000, "2001:db8:1:1::2", 4000);  // admitted by the filter
    in.replied = false;
    auto v4 = outbound(FlowEvent::none);                          // IPv4's table, not this one
    auto transit = udp6("2001:db8:2::2", 1, "2001:db8:3::3", 2);  // neither end inside
    auto rows = ipv6_mapping_table({out, in, v4, transit}, {},
                                   firewall(Dependence::address_and_port_dependent));
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_FALSE(rows[0].translated);
    EXPECT_EQ(rows[0].inside, rows[0].outside);
    ASSERT_EQ(rows[0].peers.size(), 2u);
    EXPECT_FALSE(rows[0].peers[0].inbound);
    EXPECT_TRUE(rows[0].peers[1].inbound);
    EXPECT_EQ(rows[0].allowed_in, "only [2001:db8:2::2]:5000, [2001:db8:2::9]:6000");
    Lab lab = load_lab_file(test::source_path("labs/dual-stack.yaml"), "t").lab;
    EXPECT_EQ(render_mapping_table(rows, PeerNames(lab, "home")),
              "udp laptop [2001:db8:1:1::2]:4000 (not translated)   open 25 s more\n"
              "    peer server [2001:db8:2::2]:5000: answered, flow forgotten in 25 s\n"
              "    peer [2001:db8:2::9]:6000: came in, flow forgotten in 25 s\n"
              "    allowed in: only [2001:db8:2::2]:5000, [2001:db8:2::9]:6000\n");
    EXPECT_EQ(
        ipv6_mapping_table({out}, {}, firewall(Dependence::endpoint_independent))[0].allowed_in,
        "anyone");
    // IPv4's table leaves the IPv6 flows to this one.
    EXPECT_TRUE(mapping_table({out}, {}, NatBehaviour{}).empty());
}

TEST(MappingTable, Nat66MapsAsIpv4Does) {
    Ipv6Side side;
    side.mode = Ipv6Mode::nat66;
    side.behaviour.mf = classic_behaviour(NatType::symmetric);
    auto flow = udp6("fd00:1::2", 4000, "2001:db8:2::2", 5000);
    flow.reply.dst = ep("2001:db8:ff::2", 31000);
    flow.src_nat = true;
    auto rows = ipv6_mapping_table({flow}, {}, side);
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_TRUE(rows[0].translated);
    EXPECT_EQ(rows[0].outside, ep("2001:db8:ff::2", 31000));
    EXPECT_EQ(rows[0].allowed_in, "only [2001:db8:2::2]:5000");
}

// An open forward lets anyone in, whatever the filtering; a filtered one
// only whom its filtering admits, so a peer that came in says nothing of others.
TEST(MappingTable, AFilteredForwardIsNotOpenToAnyone) {
    ConntrackFlow in = outbound(FlowEvent::none);  // turned round: a stranger's, forwarded
    in.original = {ep("192.0.2.2", 5557), ep("100.64.1.100", 5000)};
    in.reply = {ep("10.0.1.2", 5000), ep("192.0.2.2", 5557)};
    in.src_nat = false;
    in.dst_nat = true;
    NatBehaviour restricted;
    restricted.mf = mf(Dependence::endpoint_independent, Dependence::address_dependent);
    restricted.forwards = {{Protocol::udp, 5000, *IpAddress::parse("10.0.1.2"), 5000, false, ""}};
    auto open = mapping_table({in}, {}, restricted);
    ASSERT_EQ(open.size(), 1u);
    EXPECT_EQ(open[0].allowed_in, "anyone (a static forward)");
    restricted.forwards[0].filtered = true;
    EXPECT_EQ(mapping_table({in}, {}, restricted)[0].allowed_in, "any port of 192.0.2.2");
}
