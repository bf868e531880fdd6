#pragma once
// A scenario for natlab run: changes to the live lab at given times after the
// command starts ("at 5 s take nat0:wan down, at 8 s rebind nat0"), so a CI
// test can script what the network does to the software under test. Given
// with --at TIME ACTION or as a file of "TIME ACTION" lines. Pure: parsing
// and checking against the lab; the edge carries the changes out.
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "core/lifecycle/loaded_lab.hpp"

namespace natlab {

// One action, in the words of the command that does it by hand (without
// the lab's name): "link nat0:wan down", "set nat0:wan delay=50ms",
// "set nat0 type=symmetric --bindings drop", "rebind nat0 --inside c0",
// "flush nat0".
struct LiveAction {
    enum class Verb { set, link, rebind, flush };
    Verb verb = Verb::set;
    std::string target;                                         // NODE:IFACE, or a NAT node
    std::vector<std::pair<std::string, std::string>> settings;  // set
    bool clear = false;                                         // set on a link end
    std::string bindings = "keep";                              // set on a NAT
    bool up = true;                                             // link
    std::string inside;                                         // rebind: "" = every mapping
    std::string written;  // the action as given, for the run's log and messages
};

struct ScheduledChange {
    std::int64_t at_us = 0;  // after the command starts
    LiveAction action;
    std::string where;  // "--at 5s" or "scenario.txt:3", for messages
};

// Sorted by time; changes at the same time in the order given.
using Schedule = std::vector<ScheduledChange>;

// The largest schedule file natlab reads: far above any scenario a test
// scripts, small enough that checking it takes seconds, not minutes.
inline constexpr std::size_t kMaxScheduleBytes = 4u << 20;

// `--at TIME ACTION`: problems name the option and the value.
void add_at(Schedule& schedule, const std::string& time, const std::string& action,
            std::vector<std::string>& problems);
// A schedule file: one "TIME ACTION" per line; blank lines and '#' comments
// are skipped. Problems name file:line.
void add_schedule_text(Schedule& schedule, const std::string& text, const std::string& file,
                       std::vector<std::string>& problems);
// Each change against the lab before it is made: ends and NATs that exist,
// values a link or a NAT takes.
void check_schedule(const Schedule& schedule, const LoadedLab& loaded,
                    std::vector<std::string>& problems);

}  // namespace natlab
