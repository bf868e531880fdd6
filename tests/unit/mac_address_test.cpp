// MAC addresses: written on an endpoint or derived, the same on every
// create, each once in a lab, and refused with the fix when wrong.
#include <gtest/gtest.h>

#include <set>

#include "core/lifecycle/loaded_lab.hpp"
#include "core/util/mac.hpp"
#include "test_util.hpp"

namespace natlab {
namespace {

std::string two_hosts(const std::string& a, const std::string& b) {
    return "name: t\nnodes:\n  c0:\n  c1:\n  c2:\nlinks:\n"
           "  - {endpoints: [c0:eth0" +
           a + ", c1:eth0" + b +
           "], subnet: 10.0.1.0/24}\n"
           "  - {endpoints: [c0:eth1, c2:eth0], subnet: 10.0.2.0/24}\n";
}

MacAddress mac_of(const LoadedLab& loaded, const char* node, const char* ifname) {
    return loaded.lab.find_node(node)->find_interface(ifname)->mac;
}

TEST(MacAddress, ParsesAndWritesSixHexPairs) {
    auto mac = MacAddress::parse("02:AB:cd:00:10:ff");
    ASSERT_TRUE(mac);
    EXPECT_EQ(mac->str(), "02:ab:cd:00:10:ff");
    for (const char* bad :
         {"02:ab:cd:00:10", "02-ab-cd-00-10-ff", "02:ab:cd:00:10:fg", "2:ab:cd:0:10:ff0"})
        EXPECT_FALSE(MacAddress::parse(bad)) << bad;
}

TEST(MacAddress, DerivedOnesAreLocalUnicastAndTheSameEveryTime) {
    MacAddress a = derived_mac("lab", "c0", "eth0");
    EXPECT_EQ(a, derived_mac("lab", "c0", "eth0"));
    EXPECT_EQ(a.bytes[0], 0x02);
    EXPECT_NE(a, derived_mac("lab", "c0", "eth1"));
    EXPECT_NE(a, derived_mac("lab2", "c0", "eth0"));
    EXPECT_NE(derived_mac("ab", "c", "x"), derived_mac("a", "bc", "x"));
    EXPECT_NE(a, derived_mac("lab", "c0", "eth0", 1));
}

TEST(MacAddress, EveryInterfaceOfALabHasItsOwnAndAWrittenOneIsKept) {
    LoadedLab loaded = load_lab_text(two_hosts(" 02:00:00:00:00:01", ""), "t.yaml");
    EXPECT_EQ(mac_of(loaded, "c0", "eth0").str(), "02:00:00:00:00:01");
    EXPECT_EQ(mac_of(loaded, "c1", "eth0"), derived_mac("t", "c1", "eth0"));
    std::set<MacAddress> all;
    for (const auto& node : loaded.lab.nodes)
        for (const auto& i : node.interfaces) all.insert(i.mac);
    EXPECT_EQ(all.size(), 4u);
    // The same lab loaded again: the same addresses.
    LoadedLab again = load_lab_text(two_hosts(" 02:00:00:00:00:01", ""), "t.yaml");
    EXPECT_EQ(mac_of(again, "c0", "eth1"), mac_of(loaded, "c0", "eth1"));
}

TEST(MacAddress, WrongOnesAreRefusedWhereTheyAreWithTheFix) {
    std::string multicast =
        test::refusal([] { load_lab_text(two_hosts(" 03:00:00:00:00:01", ""), "t.yaml"); });
    EXPECT_NE(multicast.find("t.yaml:7:"), std::string::npos) << multicast;
    EXPECT_NE(multicast.find("multicast"), std::string::npos) << multicast;
    std::string invalid =
        test::refusal([] { load_lab_text(two_hosts(" 02:00:00:00:00:0g", ""), "t.yaml"); });
    EXPECT_NE(invalid.find("'02:00:00:00:00:0g'"), std::string::npos) << invalid;
    std::string twice = test::refusal(
        [] { load_lab_text(two_hosts(" 02:00:00:00:00:01", " 02:00:00:00:00:01"), "t.yaml"); });
    EXPECT_NE(twice.find("is also c0:eth0's"), std::string::npos) << twice;
}

}  // namespace
}  // namespace natlab
