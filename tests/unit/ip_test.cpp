#include <gtest/gtest.h>

#include "core/util/ip.hpp"

using natlab::Cidr;
using natlab::IpAddress;

TEST(Cidr, ParsesAndPrints) {
    auto c = Cidr::parse("10.0.1.2/24");
    ASSERT_TRUE(c);
    EXPECT_EQ(c->str(), "10.0.1.2/24");
    EXPECT_EQ(c->network().str(), "10.0.1.0/24");
    EXPECT_EQ(Cidr::parse("fd00:1::5/64")->network().str(), "fd00:1::/64");
}

TEST(Cidr, RejectsMalformed) {
    for (const char* bad :
         {"10.0.1.0", "10.0.1.0/33", "10.0.1.0/", "10.0.1.0/2x", "x/24", "::/129", "10.0.1.0/-1"}) {
        EXPECT_FALSE(Cidr::parse(bad)) << bad;
    }
}

TEST(Cidr, ContainsAndOverlaps) {
    auto net = *Cidr::parse("10.0.2.0/24");
    EXPECT_TRUE(net.contains(*IpAddress::parse("10.0.2.255")));
    EXPECT_FALSE(net.contains(*IpAddress::parse("10.0.3.0")));
    EXPECT_FALSE(net.contains(*IpAddress::parse("::1")));
    EXPECT_TRUE(net.overlaps(*Cidr::parse("10.0.2.128/25")));
    EXPECT_TRUE(net.overlaps(*Cidr::parse("10.0.0.0/16")));
    EXPECT_FALSE(net.overlaps(*Cidr::parse("10.0.3.0/24")));
}

TEST(Cidr, HostsSkipNetworkAndBroadcast) {
    auto net = *Cidr::parse("10.0.1.0/30");
    EXPECT_EQ(net.host(1)->str(), "10.0.1.1/30");
    EXPECT_EQ(net.host(2)->str(), "10.0.1.2/30");
    EXPECT_FALSE(net.host(3));  // 10.0.1.3 is broadcast
    EXPECT_FALSE(net.host(0));
    EXPECT_EQ(net.last().str(), "10.0.1.3");
}

TEST(Cidr, PointToPointAndIpv6Hosts) {
    auto p2p = *Cidr::parse("10.0.1.0/31");
    EXPECT_EQ(p2p.host(1)->str(), "10.0.1.0/31");
    EXPECT_EQ(p2p.host(2)->str(), "10.0.1.1/31");
    EXPECT_FALSE(p2p.host(3));
    EXPECT_EQ(Cidr::parse("fd00::/64")->host(1)->str(), "fd00::1/64");
    EXPECT_EQ(Cidr::parse("10.0.0.0/16")->host(256)->str(),
              "10.0.1.0/16");  // carries into the next byte
}
