// natlab run's scenario: --at and schedule files read into changes sorted by
// time, and every change checked against the lab before anything is made.
#include <gtest/gtest.h>

#include "core/lifecycle/loaded_lab.hpp"
#include "core/schedule/schedule.hpp"
#include "test_util.hpp"

namespace natlab {
namespace {

using Verb = LiveAction::Verb;

TEST(Schedule, ChangesAreSortedByTimeAndKeepTheirOrderWithin) {
    Schedule s;
    std::vector<std::string> problems;
    add_schedule_text(s,
                      "# a scenario\n"
                      "8s rebind nat0 --inside c0:5000\n"
                      "\n"
                      "5s link nat0:wan down   # cut\n"
                      "5s set nat0:wan delay=50ms loss=2%\n",
                      "sc.txt", problems);
    add_at(s, "500ms", "set nat0 type=symmetric --bindings drop", problems);
    add_at(s, "9.5s", "flush nat0", problems);
    EXPECT_TRUE(problems.empty());
    ASSERT_EQ(s.size(), 5u);
    EXPECT_EQ(s[0].at_us, 500000);
    EXPECT_EQ(s[0].action.bindings, "drop");
    EXPECT_EQ(s[0].action.settings,
              (std::vector<std::pair<std::string, std::string>>{{"type", "symmetric"}}));
    EXPECT_EQ(s[1].where, "sc.txt:4");
    EXPECT_EQ((s[1].action.verb == Verb::link), true);
    EXPECT_FALSE(s[1].action.up);
    EXPECT_EQ(s[2].action.written, "set nat0:wan delay=50ms loss=2%");
    EXPECT_EQ(s[3].action.inside, "c0:5000");
    EXPECT_EQ(s[4].at_us, 9500000);
}

TEST(Schedule, MalformedChangesAreToldWhereAndHowToWriteThem) {
    Schedule s;
    std::vector<std::string> problems;
    add_at(s, "5", "link nat0:wan down", problems);
    add_at(s, "1s", "lnk nat0:wan down", problems);
    add_schedule_text(s, "1s link nat0:wan sideways\n2s set nat0:wan\n3s flush\n", "sc.txt",
                      problems);
    EXPECT_TRUE(s.empty());
    EXPECT_EQ(problems,
              (std::vector<std::string>{
                  "--at 5: '5' is not a time after the command starts; write e.g. 5s or 500ms",
                  "--at 1s: 'lnk nat0:wan down': unknown action 'lnk'; write one of set, link, "
                  "rebind, flush; did you mean 'link'?",
                  "sc.txt:1: 'link nat0:wan sideways': write link NODE:IFACE down|up, e.g. 'link "
                  "nat0:wan down'",
                  "sc.txt:2: 'set nat0:wan': write set NODE:IFACE KEY=VALUE... [--clear], or set "
                  "NAT KEY=VALUE... [--bindings keep|drop], e.g. 'set nat0:wan delay=50ms'",
                  "sc.txt:3: 'flush': write flush NAT, e.g. 'flush nat0'"}));
}

TEST(Schedule, EveryChangeIsCheckedAgainstTheLab) {
    LoadedLab two = load_lab_file(test::source_path("labs/two-nat.yaml"));
    Schedule s;
    std::vector<std::string> problems;
    for (const char* action :
         {"link nat0:wan down", "link nat9:wan down", "link nat0:wlan up",
          "set nat0:wan delay=fast", "set c0 type=full-cone", "set nat0 type=fullcone",
          "rebind nat0", "flush nat1", "flush nat0:wan"})
        add_at(s, "1s", action, problems);
    ASSERT_TRUE(problems.empty());
    check_schedule(s, two, problems);
    EXPECT_EQ(problems,
              (std::vector<std::string>{
                  "--at 1s: 'link nat9:wan down': 'nat9' is not a node of the lab; its nodes are "
                  "c0, c1, nat0, nat1, internet",
                  "--at 1s: 'link nat0:wlan up': 'nat0:wlan' is not a link end of the lab; write "
                  "NODE:IFACE",
                  "--at 1s: 'set nat0:wan delay=fast': delay 'fast' is not a duration; write a "
                  "number and its unit, e.g. '40ms' (us, ms or s)",
                  "--at 1s: 'set c0 type=full-cone': 'c0' is not a NAT node of the lab; its NAT "
                  "nodes are nat0, nat1",
                  "--at 1s: 'set nat0 type=fullcone': unknown NAT type 'fullcone' of nat node "
                  "'nat0'; use one of full-cone, restricted-cone, port-restricted-cone, "
                  "symmetric, masquerade; did you mean 'full-cone'?",
                  "--at 1s: 'rebind nat0': nat0 is the kernel's plain masquerade, which keeps no "
                  "bindings of its own: the kernel would give a flow its old port straight back; "
                  "rebind needs a NAT with natlab's rules (any type but masquerade)",
                  "--at 1s: 'flush nat0:wan': 'nat0:wan' is not a NAT node of the lab; its NAT "
                  "nodes are nat0, nat1"}));
}

TEST(Schedule, ANatsKeysSetEarlierHoldForTheChangesAfter) {
    LoadedLab two = load_lab_file(test::source_path("labs/two-nat.yaml"));
    Schedule s;
    std::vector<std::string> problems;
    add_at(s, "1s", "set nat0 type=full-cone", problems);
    add_at(s, "2s", "rebind nat0", problems);         // a full cone's by then
    add_at(s, "0.5s", "rebind nat0", problems);       // before: still masquerade
    add_at(s, "3s", "set nat0 mapping=x", problems);  // over full-cone's classes
    check_schedule(s, two, problems);
    ASSERT_EQ(problems.size(), 2u);
    EXPECT_EQ(
        problems[0].rfind("--at 0.5s: 'rebind nat0': nat0 is the kernel's plain masquerade", 0),
        0u);
    EXPECT_EQ(
        problems[1],
        "--at 3s: 'set nat0 mapping=x': unknown mapping behaviour 'x' of nat node 'nat0'; use "
        "one of endpoint-independent, address-dependent, address-and-port-dependent");
}

}  // namespace
}  // namespace natlab
