// Link conditions: units as written, presets and per-direction values
// resolved onto each sending interface, and the queueing disciplines the
// plan asks for (the same in the executor and in the shell script).
#include <gtest/gtest.h>

#include "core/condition/describe_condition.hpp"
#include "core/condition/presets.hpp"
#include "core/condition/qdisc_settings.hpp"
#include "core/condition/units.hpp"
#include "core/lifecycle/loaded_lab.hpp"
#include "core/render/render.hpp"

using namespace natlab;

namespace {

TEST(ConditionUnits, ParseWhatTcWrites) {
    EXPECT_EQ(parse_duration_us("40ms"), 40000);
    EXPECT_EQ(parse_duration_us("1.5s"), 1500000);
    EXPECT_EQ(parse_duration_us("250us"), 250);
    EXPECT_EQ(parse_duration_us("40"), std::nullopt);  // no unit: refused, not guessed
    EXPECT_EQ(parse_duration_us("-5ms"), std::nullopt);
    EXPECT_EQ(parse_percent("0.5%"), 0.5);
    EXPECT_EQ(parse_percent("1"), std::nullopt);
    EXPECT_EQ(parse_rate_bps("20mbit"), 20000000u);
    EXPECT_EQ(parse_rate_bps("1.5Mbit/s"), 1500000u);
    EXPECT_EQ(parse_rate_bps("512kbit"), 512000u);
    EXPECT_EQ(parse_rate_bps("20mbps"), std::nullopt);  // bytes to tc, bits to others
}

TEST(ConditionUnits, PrintTheShortestExactForm) {
    EXPECT_EQ(format_duration(40000), "40ms");
    EXPECT_EQ(format_duration(1500), "1500us");
    EXPECT_EQ(format_duration(2000000), "2s");
    EXPECT_EQ(format_percent(0.25), "0.25%");
    EXPECT_EQ(format_percent(1), "1%");
    EXPECT_EQ(format_rate(20000000), "20mbit");
    EXPECT_EQ(format_rate(1500000), "1500kbit");
}

TEST(ConditionUnits, NetemProbabilitiesSpanTheKernelsRange) {
    EXPECT_EQ(netem_probability(0), 0u);
    EXPECT_EQ(netem_probability(100), 4294967295u);
    EXPECT_EQ(netem_probability(1), 42949673u);
}

constexpr const char* kLab = R"(name: cond
nodes:
  c0: {routes: {default: r0}}
  r0: {kind: router}
  s0: {routes: {default: r0}}
links:
  - endpoints: [c0:eth0, r0:lan]
    subnet: 10.0.0.0/24
    preset: dsl
    delay: 40ms
    from:
      r0:lan: {loss: 1%}
  - {endpoints: [r0:wan, s0:eth0], subnet: 10.0.1.0/24, rate: 20mbit}
)";

const LabInterface& interface_of(const Lab& lab, const std::string& node,
                                 const std::string& ifname) {
    return *lab.find_node(node)->find_interface(ifname);
}

TEST(LinkConditions, PresetThenLinkKeysThenEachDirectionsOwn) {
    LoadedLab loaded = load_lab_text(kLab, "cond.yaml");
    // dsl: the first endpoint (the subscriber) sends at 1mbit, receives at 10mbit.
    EXPECT_EQ(describe_condition(interface_of(loaded.lab, "c0", "eth0").condition),
              "delay 40ms rate 1mbit");
    EXPECT_EQ(describe_condition(interface_of(loaded.lab, "r0", "lan").condition),
              "delay 40ms loss 1% rate 10mbit");
    EXPECT_EQ(describe_condition(interface_of(loaded.lab, "r0", "wan").condition), "rate 20mbit");
    EXPECT_EQ(describe_condition(interface_of(loaded.lab, "s0", "eth0").condition), "rate 20mbit");
    EXPECT_EQ(condition_json(interface_of(loaded.lab, "r0", "lan").condition),
              (nlohmann::json{{"delay", "40ms"}, {"loss", "1%"}, {"rate", "10mbit"}}));
}

TEST(LinkConditions, ThePlanSetsThemBeforeTheInterfaceIsUp) {
    LoadedLab loaded = load_lab_text(kLab, "cond.yaml");
    std::vector<std::string> order;
    for (const auto& step : loaded.plan.steps) {
        if (auto* s = std::get_if<SetLinkCondition>(&step))
            order.push_back("condition " + s->node + ":" + s->ifname);
        if (auto* s = std::get_if<SetLinkUp>(&step))
            order.push_back("up " + s->node + ":" + s->ifname);
    }
    EXPECT_EQ(order,
              (std::vector<std::string>{"condition c0:eth0", "condition r0:lan", "condition r0:wan",
                                        "condition s0:eth0", "up c0:eth0", "up r0:lan", "up r0:wan",
                                        "up s0:eth0"}));
}

TEST(LinkConditions, TheShellScriptMakesTheSameQdiscs) {
    std::string script = render_shell(load_lab_text(kLab, "cond.yaml").plan);
    // netem at the root, the rate's token bucket under it; a rate alone is a bucket at the root.
    EXPECT_NE(
        script.find("tc -n cond-r0 qdisc replace dev lan root handle 1: netem delay 40ms loss 1%\n"
                    "tc -n cond-r0 qdisc replace dev lan parent 1:1 handle 10: tbf rate "
                    "10000000bit burst 12500 limit 75000\n"),
        std::string::npos)
        << script;
    EXPECT_NE(
        script.find("tc -n cond-s0 qdisc replace dev eth0 root handle 1: tbf rate 20000000bit "
                    "burst 25000 limit 150000\n"),
        std::string::npos)
        << script;
}

TEST(LinkConditions, TokenBucketHoldsTenMillisecondsAndQueuesFiftyMore) {
    LinkCondition slow;
    slow.rate_bps = 64000;  // 8000 bytes/s: the bucket's floor of two frames
    auto b = token_bucket(slow);
    ASSERT_TRUE(b);
    EXPECT_EQ(b->rate_bytes, 8000u);
    EXPECT_EQ(b->burst_bytes, 3028u);
    EXPECT_EQ(b->limit_bytes, 3028u + 1514u);
    slow.limit = 10;  // without netem the limit is the bucket's, in frames
    EXPECT_EQ(token_bucket(slow)->limit_bytes, 15140u);
}

TEST(LinkConditions, EveryPresetNamesItsSourceAndSetsBothDirections) {
    for (const auto& p : link_presets()) {
        EXPECT_FALSE(p.source.empty()) << p.name;
        EXPECT_FALSE(p.up.empty()) << p.name;
        EXPECT_FALSE(p.down.empty()) << p.name;
    }
    EXPECT_EQ(link_preset_names(),
              (std::vector<std::string>{"wifi", "4g", "3g", "satellite", "dsl", "lossy"}));
}

}  // namespace
