#include <gtest/gtest.h>

#include <algorithm>

#include "core/lifecycle/loaded_lab.hpp"
#include "core/nat/render_nft.hpp"
#include "core/render/render.hpp"
#include "core/topology/sysctl_interface.hpp"
#include "test_util.hpp"

using namespace natlab;

namespace {

Plan plan_of(const std::string& lab_file) {
    return load_lab_file(test::source_path(lab_file)).plan;
}

template <class T>
std::vector<T> steps_of(const Plan& plan) {
    std::vector<T> out;
    for (const auto& s : plan.steps)
        if (auto* t = std::get_if<T>(&s)) out.push_back(*t);
    return out;
}

std::size_t first_index(const Plan& plan, std::size_t variant_index) {
    for (std::size_t i = 0; i < plan.steps.size(); ++i)
        if (plan.steps[i].index() == variant_index) return i;
    return plan.steps.size();
}

std::size_t last_index(const Plan& plan, std::size_t variant_index) {
    std::size_t last = 0;
    for (std::size_t i = 0; i < plan.steps.size(); ++i)
        if (plan.steps[i].index() == variant_index) last = i;
    return last;
}

}  // namespace

TEST(Plan, IsDeterministic) {
    for (const char* lab :
         {"labs/two-nat.yaml", "labs/switched-lan.yaml", "labs/double-nat.yaml"}) {
        EXPECT_EQ(plan_of(lab).steps, plan_of(lab).steps) << lab;
        EXPECT_EQ(render_shell(plan_of(lab)), render_shell(plan_of(lab))) << lab;
    }
}

TEST(Plan, OrdersStepsSoEachFindsWhatItNeeds) {
    Plan plan = plan_of("labs/switched-lan.yaml");
    auto idx = [](auto step) { return Step(step).index(); };
    // Namespaces before links, links before addresses, addresses and links up before routes.
    EXPECT_LT(last_index(plan, idx(CreateNetns{})), first_index(plan, idx(CreateVeth{})));
    EXPECT_LT(last_index(plan, idx(CreateVeth{})), first_index(plan, idx(AttachToBridge{})));
    EXPECT_LT(last_index(plan, idx(AddAddress{})), first_index(plan, idx(AddRoute{})));
    EXPECT_LT(last_index(plan, idx(SetLinkUp{})), first_index(plan, idx(AddRoute{})));
    EXPECT_EQ(steps_of<CreateBridge>(plan).size(), 1u);
    EXPECT_EQ(steps_of<AttachToBridge>(plan).size(), 4u);
}

TEST(Plan, ForwardingOnRoutersAndNatsOnly) {
    Plan plan = plan_of("labs/two-nat.yaml");
    std::vector<std::string> forwarding;
    for (const auto& s : steps_of<SetSysctl>(plan))
        if (s.key == "net.ipv4.ip_forward" && s.value == "1") forwarding.push_back(s.node);
    EXPECT_EQ(forwarding, (std::vector<std::string>{"nat0", "nat1", "internet"}));
}

TEST(Plan, UserSysctlsComeAfterDefaults) {
    auto loaded = load_lab_text(R"(name: s
nodes:
  r: {kind: router, sysctls: {net.ipv4.ip_forward: 0}}
  h: {}
links: [{endpoints: [r:e, h:e], subnet: 10.0.0.0/24}]
)",
                                "s.yaml");
    auto sysctls = steps_of<SetSysctl>(loaded.plan);
    ASSERT_FALSE(sysctls.empty());
    EXPECT_EQ(sysctls.back().key, "net.ipv4.ip_forward");
    EXPECT_EQ(sysctls.back().value, "0");
}

TEST(SysctlInterface, NamesTheInterfaceAKeyIsAboutAndRewritesIt) {
    EXPECT_EQ(sysctl_interface("net.ipv4.conf.eth0.rp_filter"), "eth0");
    EXPECT_EQ(sysctl_interface("net.ipv6.neigh.ipv4.base_reachable_time_ms"), "ipv4");
    EXPECT_EQ(sysctl_interface("net.ipv4.ip_forward"), "");
    EXPECT_EQ(sysctl_interface("net.ipv4.conf.eth0"), "");
    EXPECT_EQ(sysctl_on_interface("net.ipv6.neigh.ipv4.base_reachable_time_ms", "default"),
              "net.ipv6.neigh.default.base_reachable_time_ms");
    EXPECT_EQ(sysctl_on_interface("net.ipv4.ip_forward", "default"), "net.ipv4.ip_forward");
}

// r:x has a sysctl of its own, and r one for every new interface.
const char* kSysctlScopes = R"(name: u
nodes:
  r: {kind: router, sysctls: {net.ipv4.conf.x.rp_filter: 2, net.ipv6.conf.default.accept_dad: 0}}
  h: {}
  g: {}
links:
  - {endpoints: [r:e, h:e], subnet: 10.0.0.0/24}
  - {endpoints: [r:x, g:x], subnet: 10.0.1.0/24}
)";

TEST(Plan, NamespaceSysctlsComeBeforeItsInterfacesAndInterfaceSysctlsAfter) {
    Plan plan = load_lab_text(kSysctlScopes, "u.yaml").plan;
    std::vector<std::string> said;
    for (const auto& step : plan.steps) said.push_back(describe(step));
    auto at = [&](const std::string& text) {
        auto it = std::find(said.begin(), said.end(), text);
        EXPECT_NE(it, said.end()) << text;
        return it - said.begin();
    };
    auto first_veth = at("creating veth pair r:e <-> h:e");
    // default.* reaches interfaces made after it; forwarding is on before any is up.
    EXPECT_LT(at("setting net.ipv6.conf.default.accept_dad=0 in namespace u-r"), first_veth);
    EXPECT_LT(at("setting net.ipv4.ip_forward=1 in namespace u-r"), first_veth);
    auto x_sysctl = at("setting net.ipv4.conf.x.rp_filter=2 in namespace u-r");
    EXPECT_GT(x_sysctl, at("creating veth pair r:x <-> g:x"));
    EXPECT_LT(x_sysctl, at("bringing up r:x in namespace u-r"));
}

TEST(Plan, NatNodesGetTheirRuleset) {
    Plan plan = plan_of("labs/double-nat.yaml");
    auto rules = steps_of<ApplyRuleset>(plan);
    ASSERT_EQ(rules.size(), 2u);
    EXPECT_EQ(rules[0].netns, "double-nat-home");
    EXPECT_EQ(rules[0].table, kNatTable);
    EXPECT_NE(rules[0].text.find("oifname \"wan\" masquerade"), std::string::npos);
}

TEST(Render, ShellScriptMatchesGolden) {
    std::string actual = render_shell(plan_of("labs/two-nat.yaml"));
    EXPECT_EQ(actual, test::golden("tests/unit/golden/two-nat.sh", actual));
}

TEST(Render, SwitchShellScriptMatchesGolden) {
    std::string actual = render_shell(plan_of("labs/switched-lan.yaml"));
    EXPECT_EQ(actual, test::golden("tests/unit/golden/switched-lan.sh", actual));
}

TEST(Render, TextNamesEveryStep) {
    Plan plan = plan_of("labs/two-nat.yaml");
    std::string text = render_text(plan);
    EXPECT_NE(text.find("adding 10.0.1.2/24 to c0:eth0 in namespace two-nat-c0"),
              std::string::npos);
    EXPECT_NE(text.find("creating veth pair nat0:lan <-> c0:eth0"), std::string::npos);
    EXPECT_NE(text.find("adding default route via 10.0.1.1 on c0 in namespace two-nat-c0"),
              std::string::npos);
}
