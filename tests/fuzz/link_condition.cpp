// A link end's conditions as KEY=VALUE words (natlab set NODE:IFACE, a
// schedule's 'set'): what is accepted reads back the same from the words
// natlab describes it with (the lab's journal keeps those).
#include "core/condition/describe_condition.hpp"
#include "core/condition/validate_condition.hpp"
#include "fuzz_target.hpp"

using namespace natlab;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    auto settings = fuzz::settings_of(fuzz::text_of(data, size));
    if (!settings) return 0;
    std::vector<std::string> problems;
    LinkCondition condition = apply_condition_settings({}, *settings, problems);
    if (!problems.empty()) return 0;
    std::string described = describe_condition(condition);
    LinkCondition again = apply_condition_settings({}, settings_of_words(described), problems);
    if (!problems.empty())
        fuzz::broken("the description '" + described + "' is refused: " + problems.front());
    if (describe_condition(again) != described)
        fuzz::broken("'" + described + "' reads back as '" + describe_condition(again) + "'");
    return 0;
}
