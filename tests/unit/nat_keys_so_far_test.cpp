// A scenario's NAT keys kept as each key's last value give the lab that the
// whole sequence of changes gives, so checking a long scenario reads short
// journals.
#include <gtest/gtest.h>

#include <random>

#include "core/lifecycle/live_changes.hpp"
#include "core/render/render.hpp"
#include "core/schedule/nat_keys_so_far.hpp"
#include "test_util.hpp"

namespace natlab {
namespace {

// The lab's plan as shell commands, or the message that refused it.
std::pair<bool, std::string> outcome(const LoadedLab& base,
                                     const std::vector<LiveChange>& changes) {
    try {
        return {true,
                render_shell(load_changed_lab(base.text, base.path, base.lab.name, changes).plan)};
    } catch (const InvalidInput& e) {
        return {false, e.what()};
    }
}

TEST(NatKeysSoFar, EachKeysLastValueMakesTheLabTheWholeSequenceMakes) {
    LoadedLab two = load_lab_file(test::source_path("labs/two-nat.yaml"));
    // Keys that reset or convert others (type and the classes, the two port
    // keys), keys on their own, and the external address.
    const std::vector<std::pair<std::string, std::vector<std::string>>> keys = {
        {"type", {"full-cone", "symmetric", "restricted-cone", "masquerade", "none"}},
        {"mapping", {"endpoint-independent", "address-dependent", "none"}},
        {"filtering", {"address-and-port-dependent", "endpoint-independent", "none"}},
        {"port-allocation", {"sequential", "random", "none"}},
        {"port-preservation", {"true", "false", "none"}},
        {"hairpinning", {"true", "none"}},
        {"port-range", {"20000-29999", "none"}},
        {"address", {"100.64.1.50", "100.64.1.60"}},
    };
    std::mt19937 random(7);
    auto pick = [&](std::size_t n) {
        return std::uniform_int_distribution<std::size_t>(0, n - 1)(random);
    };
    int planned = 0, refused = 0;
    for (int scenario = 0; scenario < 100; ++scenario) {
        std::vector<LiveChange> every;
        NatKeysSoFar last;
        for (int change = 0; change < 6; ++change) {
            std::string nat = pick(4) == 0 ? "nat1" : "nat0";
            NatSettings settings;
            for (std::size_t n = 1 + pick(2); n > 0; --n) {
                const auto& [key, values] = keys[pick(keys.size())];
                settings.emplace_back(key, values[pick(values.size())]);
            }
            every.push_back(
                {nat, "", std::nullopt, std::nullopt, nat_settings_words(settings), std::nullopt});
            last.add(nat, settings);
            auto whole = outcome(two, every);
            EXPECT_EQ(outcome(two, last.changes()), whole)
                << "after " << every.size() << " changes, the last " << nat << " "
                << nat_settings_words(settings);
            ++(whole.first ? planned : refused);
        }
    }
    // Both kinds of outcome were compared, many times.
    EXPECT_GT(planned, 300);
    EXPECT_GT(refused, 50);
}

TEST(NatKeysSoFar, KeepsOneChangePerNatAndEachKeyOnce) {
    NatKeysSoFar keys;
    keys.add("nat0", {{"type", "symmetric"}, {"hairpinning", "true"}});
    keys.add("nat1", {{"type", "full-cone"}});
    keys.add("nat0", {{"type", "full-cone"}, {"port-range", "20000-29999"}});
    ASSERT_EQ(keys.changes().size(), 2u);
    EXPECT_EQ(keys.changes()[0].node, "nat0");
    EXPECT_EQ(keys.changes()[0].nat, "hairpinning=true type=full-cone port-range=20000-29999");
    EXPECT_EQ(keys.changes()[1].nat, "type=full-cone");
}

}  // namespace
}  // namespace natlab
