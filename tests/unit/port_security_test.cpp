// A switch's port-security: the rules each policy makes (golden files; the
// netdev table names the lab's ports, so test_port_security loads them in a
// lab), nothing for the defaults, and refusals with the fix.
#include <gtest/gtest.h>

#include "core/lifecycle/loaded_lab.hpp"
#include "core/plan/step.hpp"
#include "core/switch/port_security.hpp"
#include "test_util.hpp"

namespace natlab {
namespace {

std::string switch_lab(const std::string& policy) {
    return "name: t\nnodes:\n"
           "  sw: {kind: switch, port-security: " +
           policy +
           "}\n  vm:\n  ids:\n  gw:\n"
           "links:\n"
           "  - {endpoints: [sw:vm, vm:eth0 02:00:00:00:00:0a], subnet: 10.0.1.0/24}\n"
           "  - {endpoints: [sw:ids, ids:eth0 02:00:00:00:00:0b]}\n"
           "  - {endpoints: [sw:gw, gw:eth0 02:00:00:00:00:0c]}\n";
}

std::vector<const ApplyRuleset*> tables(const LoadedLab& loaded) {
    std::vector<const ApplyRuleset*> out;
    for (const auto& step : loaded.plan.steps)
        if (const auto* r = std::get_if<ApplyRuleset>(&step)) out.push_back(r);
    return out;
}

TEST(PortSecurity, EveryPolicyRejectedOrAcceptedMatchesGolden) {
    LoadedLab loaded =
        load_lab_text(switch_lab("{vm: {forged-transmits: reject, mac-changes: reject}, "
                                 "ids: {promiscuous: accept}, gw: {forged-transmits: accept}}"),
                      "t.yaml");
    auto rules = tables(loaded);
    ASSERT_EQ(rules.size(), 2u);
    EXPECT_EQ(rules[0]->family, "bridge");
    EXPECT_EQ(rules[1]->family, "netdev");
    EXPECT_EQ(rules[0]->text,
              test::golden("tests/unit/golden/switch/port-security-bridge.nft", rules[0]->text));
    EXPECT_EQ(rules[1]->text,
              test::golden("tests/unit/golden/switch/port-security-netdev.nft", rules[1]->text));
    // The ports exist before their rules load: the netdev chain names them.
    std::size_t attached = 0, loaded_at = 0;
    for (std::size_t i = 0; i < loaded.plan.steps.size(); ++i) {
        if (std::holds_alternative<AttachToBridge>(loaded.plan.steps[i])) attached = i;
        if (const auto* r = std::get_if<ApplyRuleset>(&loaded.plan.steps[i]);
            r && r->family == "netdev")
            loaded_at = i;
    }
    EXPECT_LT(attached, loaded_at);
}

TEST(PortSecurity, TheLinuxBridgesOwnBehaviourMakesNoRules) {
    LoadedLab loaded = load_lab_text(
        switch_lab("{vm: {forged-transmits: accept, mac-changes: accept, promiscuous: reject}}"),
        "t.yaml");
    EXPECT_TRUE(tables(loaded).empty());
}

TEST(PortSecurity, WrongPortsAndValuesAreRefusedWithTheFix) {
    std::string port = test::refusal(
        [] { load_lab_text(switch_lab("{vn: {forged-transmits: reject}}"), "t.yaml"); });
    EXPECT_NE(port.find("t.yaml:3:"), std::string::npos) << port;
    EXPECT_NE(port.find("switch 'sw' has no port 'vn'"), std::string::npos) << port;
    EXPECT_NE(port.find("did you mean 'vm'"), std::string::npos) << port;
    std::string value = test::refusal(
        [] { load_lab_text(switch_lab("{vm: {forged-transmits: drop}}"), "t.yaml"); });
    EXPECT_NE(value.find("forged-transmits of port 'vm' is 'drop'; write accept or reject"),
              std::string::npos)
        << value;
    std::string key =
        test::refusal([] { load_lab_text(switch_lab("{vm: {forged: reject}}"), "t.yaml"); });
    EXPECT_NE(key.find("'forged'"), std::string::npos) << key;
    std::string kind = test::refusal([] {
        load_lab_text(
            "name: t\nnodes:\n  h: {port-security: {}}\n  g:\nlinks:\n"
            "  - {endpoints: [h:eth0, g:eth0], subnet: 10.0.1.0/24}\n",
            "t.yaml");
    });
    EXPECT_NE(kind.find("applies only to switch nodes"), std::string::npos) << kind;
}

}  // namespace
}  // namespace natlab
