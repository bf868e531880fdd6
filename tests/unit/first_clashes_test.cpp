// first_clashes: which of a node's addresses to report, each once.
#include "core/topology/first_clashes.hpp"

#include <gtest/gtest.h>

#include "core/input/diagnostics.hpp"

using namespace natlab;

namespace {

using Pairs = std::vector<std::pair<std::size_t, std::size_t>>;

InterfaceAddress on(const std::string& interface, const std::string& cidr) {
    return {interface, *Cidr::parse(cidr)};
}

TEST(FirstClashes, SubnetsApartDoNotClash) {
    EXPECT_EQ(first_clashes(
                  {on("eth0", "10.0.1.1/24"), on("eth1", "10.0.2.1/24"), on("eth2", "fd00::1/64")}),
              Pairs{});
}

TEST(FirstClashes, OneInterfaceMayHoldOverlappingAddresses) {
    EXPECT_EQ(first_clashes({on("eth0", "10.0.1.1/24"), on("eth0", "10.0.1.2/25")}), Pairs{});
}

TEST(FirstClashes, EachAddressIsToldOnceAgainstTheFirstItClashesWith) {
    // Four interfaces in one subnet: three clashes, not six pairs.
    EXPECT_EQ(first_clashes({on("e0", "10.0.0.1/16"), on("e1", "10.0.0.1/16"),
                             on("e2", "10.0.0.1/16"), on("e3", "10.0.0.1/16")}),
              (Pairs{{0, 1}, {0, 2}, {0, 3}}));
}

TEST(FirstClashes, ANetworkInsideAnotherClashesWithIt) {
    // The wide one, last, is told against the first narrow one inside it: it
    // is the one to change. A narrow one after the wide one is told too.
    EXPECT_EQ(first_clashes({on("a", "10.0.2.1/24"), on("b", "10.0.3.1/24"), on("c", "10.0.0.1/16"),
                             on("d", "10.1.0.1/24"), on("e", "10.0.9.1/24")}),
              (Pairs{{0, 2}, {2, 4}}));
}

TEST(FirstClashes, TheEarliestOnAnotherInterfaceIsChosen) {
    // Entry 3 overlaps 0 (its own interface), 1 and 2: it is told against 1.
    EXPECT_EQ(first_clashes({on("x", "10.0.0.1/8"), on("y", "10.0.0.2/16"), on("z", "10.0.0.3/24"),
                             on("x", "10.0.0.4/24")}),
              (Pairs{{0, 1}, {0, 2}, {1, 3}}));
}

TEST(FirstClashes, ThousandsOfInterfacesInOneSubnetAreLinear) {
    std::vector<InterfaceAddress> list;
    for (int i = 0; i < 50000; ++i) list.push_back(on("e" + std::to_string(i), "10.0.0.1/8"));
    auto pairs = first_clashes(list);
    ASSERT_EQ(pairs.size(), 49999u);
    EXPECT_EQ(pairs.back(), (std::pair<std::size_t, std::size_t>{0, 49999}));
}

TEST(Diagnostics, ShowsTheFirstHundredAndCountsTheRest) {
    Diagnostics diag("big.yaml");
    for (int line = 250; line >= 1; --line)
        diag.error({line, 3}, "problem " + std::to_string(line));
    diag.error({7, 3}, "problem 7");  // said once
    EXPECT_EQ(diag.size(), 250u);
    std::string text = diag.render();
    EXPECT_EQ(text.substr(0, text.find('\n')), "big.yaml:1:3: problem 1");
    EXPECT_NE(text.find("big.yaml:100:3: problem 100\n"), std::string::npos);
    EXPECT_EQ(text.find("problem 101\n"), std::string::npos);
    EXPECT_EQ(text.substr(text.rfind('\n', text.size() - 2) + 1),
              "big.yaml: ... and 150 more problems; these are the first 100\n");
}

}  // namespace
