// How much of a NAT's range is held, from what libnftables prints for the
// NAT's @taken set and `refused` counter (captured from nftables 1.0.6).
#include <gtest/gtest.h>

#include "core/conntrack/port_usage.hpp"

namespace natlab {
namespace {

constexpr const char* kTaken =
    R"({"nftables": [{"metainfo": {"version": "1.0.6", "json_schema_version": 1}}, {"set": )"
    R"({"family": "ip", "name": "taken", "table": "natlab", "type": ["inet_proto", )"
    R"("inet_service"], "handle": 7, "size": 65535, "flags": ["timeout"], "timeout": 120, )"
    R"("elem": [{"elem": {"val": {"concat": ["udp", 20003]}, "expires": 119}}, {"elem": )"
    R"({"val": {"concat": ["udp", 20005]}, "expires": 119}}, {"elem": {"val": {"concat": )"
    R"(["tcp", 20007]}, "expires": 119}}, {"elem": {"val": {"concat": ["udp", 40000]}, )"
    R"("expires": 3}}]}}]})";
constexpr const char* kRefused =
    R"({"nftables": [{"metainfo": {"version": "1.0.6"}}, {"counter": {"family": "ip", )"
    R"("name": "refused", "table": "natlab", "handle": 4, "packets": 5, "bytes": 145}}]})";

NatBehaviour with_range(int first, int last) {
    NatBehaviour b;
    b.port_range = PortRange{first, last};
    return b;
}

TEST(PortUsage, CountsHeldPortsOfTheRangePerProtocolAndTheRefusedFlows) {
    auto usage = port_usage(kTaken, kRefused, with_range(20000, 20009));
    ASSERT_TRUE(usage);
    EXPECT_EQ(usage->held,
              (std::map<std::string, int>{{"udp", 2}, {"tcp", 1}}));  // 40000 is outside
    EXPECT_EQ(usage->refused, 5);
    EXPECT_FALSE(usage->exhausted("udp"));
    EXPECT_EQ(describe_port_usage(*usage),
              "ports of 20000-20009 held: udp 2 of 10, tcp 1 of 10; 5 new flows refused (given a "
              "port another inside endpoint holds, or none was free)\n");
}

TEST(PortUsage, AFullRangeIsExhausted) {
    auto usage = port_usage(kTaken, kRefused, with_range(20005, 20005));
    ASSERT_TRUE(usage);
    EXPECT_TRUE(usage->exhausted("udp"));
    EXPECT_FALSE(usage->exhausted("tcp"));
    EXPECT_EQ(describe_port_usage(*usage),
              "ports of 20005-20005 held: udp 1 of 1 (exhausted: new udp mappings are refused "
              "until a binding expires), tcp 0 of 1; 5 new flows refused (given a port another "
              "inside endpoint holds, or none was free)\n");
}

TEST(PortUsage, TheDefaultRangeIsTheKernelsFrom1024AndPlainMasqueradeHasNone) {
    auto usage = port_usage(kTaken, "", NatBehaviour{});
    ASSERT_TRUE(usage);
    EXPECT_EQ(usage->size(), 64512);
    EXPECT_EQ(usage->held.at("udp"), 3);
    EXPECT_EQ(usage->refused, 0);
    EXPECT_FALSE(port_usage("", "", NatBehaviour{}));  // no @taken: the kernel's masquerade
}

TEST(PortsInUse, AreTheRepliesDestinationsAndTheTakenSetsPorts) {
    ConntrackFlow translated;  // 10.0.1.2:30001 -> server, mapped to 100.64.1.2:41000
    translated.original = {{*IpAddress::parse("10.0.1.2"), 30001},
                           {*IpAddress::parse("203.0.113.2"), 3480}};
    translated.reply = {{*IpAddress::parse("203.0.113.2"), 3480},
                        {*IpAddress::parse("100.64.1.2"), 41000}};
    ConntrackFlow to_the_nat;  // not translated: its source port is used as it is
    to_the_nat.original = {{*IpAddress::parse("100.64.1.1"), 5353},
                           {*IpAddress::parse("100.64.1.2"), 53}};
    to_the_nat.reply = {{*IpAddress::parse("100.64.1.2"), 53},
                        {*IpAddress::parse("100.64.1.1"), 5353}};
    ConntrackFlow icmp;  // no ports at all
    icmp.protocol = "icmp";
    EXPECT_EQ(ports_in_use({translated, to_the_nat, icmp}, kTaken),
              (std::set<std::uint16_t>{5353, 20003, 20005, 20007, 40000, 41000}));
    EXPECT_EQ(ports_in_use({translated}, ""), (std::set<std::uint16_t>{41000}));
}

}  // namespace
}  // namespace natlab
