// Destination tables with exceptions, as pf reads them: the longest entry
// that holds an address decides.
#include <gtest/gtest.h>

#include "core/util/cidr_table.hpp"

namespace natlab {
namespace {

CidrTableEntry entry(const char* text) {
    const bool exception = text[0] == '!';
    return {*Cidr::parse(text + (exception ? 1 : 0)), exception};
}

std::vector<std::string> resolved(std::initializer_list<const char*> entries) {
    std::vector<CidrTableEntry> table;
    for (const char* e : entries) table.push_back(entry(e));
    std::vector<std::string> out;
    for (const auto& c : resolve_cidr_table(table)) out.push_back(c.str());
    return out;
}

bool in(const std::vector<std::string>& networks, const char* address) {
    for (const auto& n : networks)
        if (Cidr::parse(n)->contains(*IpAddress::parse(address))) return true;
    return false;
}

TEST(CidrTable, AnExceptionLeavesTheRestOfItsNetwork) {
    auto nets = resolved({"10.0.0.0/8", "!10.20.0.0/16"});
    EXPECT_EQ(nets, (std::vector<std::string>{"10.0.0.0/12", "10.16.0.0/14", "10.21.0.0/16",
                                              "10.22.0.0/15", "10.24.0.0/13", "10.32.0.0/11",
                                              "10.64.0.0/10", "10.128.0.0/9"}));
    EXPECT_TRUE(in(nets, "10.0.0.1"));
    EXPECT_TRUE(in(nets, "10.19.255.255"));
    EXPECT_FALSE(in(nets, "10.20.0.1"));
    EXPECT_FALSE(in(nets, "10.20.255.255"));
    EXPECT_TRUE(in(nets, "10.21.0.0"));
    EXPECT_TRUE(in(nets, "10.255.255.255"));
    EXPECT_FALSE(in(nets, "11.0.0.0"));
}

TEST(CidrTable, TheLongestEntryDecidesWhateverTheOrder) {
    auto nets = resolved({"10.20.5.0/24", "!10.20.0.0/16", "10.0.0.0/8"});
    EXPECT_TRUE(in(nets, "10.20.5.9"));
    EXPECT_FALSE(in(nets, "10.20.6.9"));
    EXPECT_TRUE(in(nets, "10.99.0.1"));
}

TEST(CidrTable, ThePfExampleOfTheIssue) {
    auto nets = resolved({"10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "!192.168.254.0/24"});
    EXPECT_TRUE(in(nets, "192.168.1.1"));
    EXPECT_TRUE(in(nets, "192.168.255.1"));
    EXPECT_FALSE(in(nets, "192.168.254.1"));
    EXPECT_TRUE(in(nets, "172.31.0.1"));
}

TEST(CidrTable, CoveredAndRepeatedEntriesAddNothing) {
    EXPECT_EQ(resolved({"10.0.0.0/8", "10.1.0.0/16", "10.0.0.0/8"}),
              (std::vector<std::string>{"10.0.0.0/8"}));
    EXPECT_EQ(resolved({"10.0.0.0/8", "!10.0.0.0/8"}), std::vector<std::string>{});
    EXPECT_EQ(resolved({"10.0.0.1/32", "!10.0.0.1/32", "192.0.2.0/24"}),
              (std::vector<std::string>{"192.0.2.0/24"}));
}

}  // namespace
}  // namespace natlab
