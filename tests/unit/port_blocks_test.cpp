// Carrier-grade port blocks: each subscriber's address and ports, and the
// allocation log.
#include <gtest/gtest.h>

#include "core/conntrack/port_usage.hpp"
#include "core/conntrack/rebind.hpp"
#include "core/lifecycle/live_changes.hpp"
#include "core/nat/allocation_log.hpp"
#include "core/nat/port_blocks.hpp"
#include "core/nat/render_nft.hpp"
#include "core/probe/conformance.hpp"
#include "nat_fixtures.hpp"
#include "test_util.hpp"

namespace natlab {
namespace {

using test::lab_with_nat;

using test::ip;
using test::nat_of;

TEST(PortBlocks, EachSubscriberGetsItsAddressAndPortsInOrder) {
    // 10.0.1.0/24 has 254 subscribers; 64 blocks of 8 ports on each of 4 addresses.
    NatNode nat = *nat_of(
                       "preset: cgnat, pool: 100.64.1.200-100.64.1.203, port-range: "
                       "20000-20511, port-block: 8")
                       .nat;
    std::vector<PortBlock> blocks = port_blocks(nat);
    ASSERT_EQ(blocks.size(), 254u);
    EXPECT_EQ(blocks[0], (PortBlock{ip("10.0.1.1"), ip("100.64.1.200"), {20000, 20007}}));
    EXPECT_EQ(blocks[1], (PortBlock{ip("10.0.1.2"), ip("100.64.1.200"), {20008, 20015}}));
    EXPECT_EQ(blocks[64], (PortBlock{ip("10.0.1.65"), ip("100.64.1.201"), {20000, 20007}}));
    EXPECT_EQ(blocks[253], (PortBlock{ip("10.0.1.254"), ip("100.64.1.203"), {20488, 20495}}));
    std::string rules = render_nat_rules(nat);
    EXPECT_NE(rules.find("10.0.1.65 : 100.64.1.201 . 20000-20007,"), std::string::npos);
    EXPECT_NE(rules.find("snat ip to ip saddr map @blocks fully-random"), std::string::npos);
    EXPECT_NE(
        rules.find("update @exhausted { ct original ip saddr } counter name \"refused\" drop"),
        std::string::npos);
    EXPECT_EQ(rules.find("meta mark set jhash"), std::string::npos);  // the block names the address
}

TEST(PortBlocks, TooFewBlocksForTheSubscribersIsAProblemNamingTheNumbers) {
    NatNode nat = *nat_of("preset: cgnat, port-range: 20000-20099").nat;
    nat.behaviour.port_block = 10;
    EXPECT_EQ(port_blocks_problem(nat),
              "port-block 10 gives 10 blocks (10 of ports 20000-20099 on its external address) for "
              "the 254 addresses of its inside networks; use a smaller port-block, a larger pool "
              "or a smaller inside subnet");
    EXPECT_TRUE(port_blocks(nat).empty());
}

TEST(AllocationLog, OneLinePerSubscriberWithItsRefusals) {
    AllocationLog log{"cgn",
                      "2026-12-02T10:00:00Z",
                      {{ip("100.64.0.2"), ip("198.51.100.200"), {20064, 20127}}},
                      parse_exhausted(R"({"nftables": [{"set": {"name": "exhausted", "elem": [)"
                                      R"({"elem": {"val": "100.64.0.2", "counter": )"
                                      R"({"packets": 7, "bytes": 300}}}]}}]})")};
    EXPECT_EQ(allocation_log_json_lines(log),
              R"({"external":"198.51.100.200","nat":"cgn","ports":"20064-20127","refused":7,)"
              R"("since":"2026-12-02T10:00:00Z","subscriber":"100.64.0.2"})"
              "\n");
    EXPECT_EQ(render_allocation_log(log),
              "SUBSCRIBER       EXTERNAL         PORTS        SINCE                 REFUSED\n"
              "100.64.0.2       198.51.100.200   20064-20127  2026-12-02T10:00:00Z  7\n");
}

}  // namespace
}  // namespace natlab
