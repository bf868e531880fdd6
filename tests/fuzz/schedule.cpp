// A schedule file (natlab run --schedule), read and checked against a lab.
#include <algorithm>

#include "core/schedule/schedule.hpp"
#include "fuzz_target.hpp"
#include "two_nat_lab.hpp"

using namespace natlab;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    Schedule schedule;
    std::vector<std::string> problems;
    add_schedule_text(schedule, fuzz::text_of(data, size), "fuzz.txt", problems);
    try {
        check_schedule(schedule, fuzz::two_nat_lab(), problems);
    } catch (const InvalidInput& e) {
        fuzz::broken(std::string("check_schedule threw instead of telling a problem: ") + e.what());
    }
    if (!std::is_sorted(schedule.begin(), schedule.end(),
                        [](const auto& a, const auto& b) { return a.at_us < b.at_us; }))
        fuzz::broken("the schedule is not in time order");
    return 0;
}
