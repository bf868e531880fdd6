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
