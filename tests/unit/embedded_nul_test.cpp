// A NUL inside a value is refused, not cut off: C strings (inet_pton, the
// kernel, exec) end at it, so "10.0.1.0\0 anything here/24" read as
// 10.0.1.0/24.
#include <gtest/gtest.h>

#include <string>

#include "core/lifecycle/loaded_lab.hpp"
#include "core/schedule/schedule.hpp"
#include "core/topology/load.hpp"
#include "core/util/ip.hpp"
#include "test_util.hpp"

namespace natlab {
namespace {

using namespace std::string_literals;

TEST(EmbeddedNul, AnAddressWithANulIsNoAddress) {
    EXPECT_FALSE(IpAddress::parse("10.0.1.0\0 anything here"s));
    EXPECT_FALSE(IpAddress::parse("fd00::1\0"s));
    EXPECT_FALSE(Cidr::parse("10.0.1.0\0 anything here/24"s));
    EXPECT_TRUE(Cidr::parse("10.0.1.0/24"));
}

TEST(EmbeddedNul, ATopologyValueWithANulIsRefusedWhereItIs) {
    const std::string text =
        "name: t\nnodes:\n  a: {}\n  b: {}\nlinks:\n"
        "  - {endpoints: [a:eth0, b:eth0], subnet: \"10.0.1.0\\0 anything here/24\"}\n";
    Diagnostics diag("t.yaml");
    load_topology(text, "t.yaml", diag);
    EXPECT_EQ(diag.render(),
              "t.yaml:6:43: value '10.0.1.0\\x00 anything here/24' holds a NUL character (\\x00), "
              "where the kernel and the programs natlab starts would cut it short; remove it\n");
}

TEST(EmbeddedNul, AScheduledAddressWithANulIsRefused) {
    LoadedLab two = load_lab_file(test::source_path("labs/two-nat.yaml"));
    Schedule schedule;
    std::vector<std::string> problems;
    add_schedule_text(schedule, "1s set nat0 address=100.64.1.50\0junk\n"s, "s.txt", problems);
    check_schedule(schedule, two, problems);
    ASSERT_EQ(problems.size(), 1u);
    EXPECT_NE(problems[0].find("address '100.64.1.50\\x00junk' of nat node 'nat0' is not an IPv4 "
                               "address"),
              std::string::npos)
        << problems[0];
}

}  // namespace
}  // namespace natlab
