// A live NAT's KEY=VALUE settings, as natlab set takes them (words split at
// blanks): what the check accepts, the lab must then load with.
#include "core/lifecycle/live_changes.hpp"
#include "fuzz_target.hpp"
#include "two_nat_lab.hpp"

using namespace natlab;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    auto settings = fuzz::settings_of(fuzz::text_of(data, size));
    if (!settings) return 0;
    const LoadedLab& lab = fuzz::two_nat_lab();
    auto problems = nat_settings_problems(lab.text, lab.path, lab.lab.name, {}, "nat0", *settings);
    if (!problems.empty()) return 0;
    try {
        load_changed_lab(lab.text, lab.path, lab.lab.name,
                         {{"nat0", "", std::nullopt, std::nullopt, nat_settings_words(*settings),
                           std::nullopt}});
    } catch (const InvalidInput& e) {
        fuzz::broken("settings the check took make a lab that does not load: " +
                     std::string(e.what()));
    }
    return 0;
}
