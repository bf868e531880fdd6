// Golden files of the rules every NAT behaviour renders to. A change to a
// recipe shows up here as a diff to read, then NATLAB_UPDATE_GOLDEN=1.
#include <gtest/gtest.h>

#include <set>

#include "core/lifecycle/loaded_lab.hpp"
#include "core/nat/render_nft.hpp"
#include "test_util.hpp"

namespace natlab {
namespace {

struct NatCase {
    const char* name;
    const char* settings;  // the nat node's behaviour keys, YAML flow style
};

const NatCase kCases[] = {
    {"masquerade", ""},
    {"full-cone", "type: full-cone"},
    {"restricted-cone", "type: restricted-cone"},
    {"port-restricted-cone", "type: port-restricted-cone"},
    {"symmetric", "type: symmetric"},
    {"eim-eif", "mapping: endpoint-independent, filtering: endpoint-independent"},
    {"eim-adf", "mapping: endpoint-independent, filtering: address-dependent"},
    {"eim-apdf", "mapping: endpoint-independent, filtering: address-and-port-dependent"},
    {"adm-eif", "mapping: address-dependent, filtering: endpoint-independent"},
    {"adm-adf", "mapping: address-dependent, filtering: address-dependent"},
    {"adm-apdf", "mapping: address-dependent, filtering: address-and-port-dependent"},
    {"apdm-eif", "mapping: address-and-port-dependent, filtering: endpoint-independent"},
    {"apdm-adf", "mapping: address-and-port-dependent, filtering: address-dependent"},
    {"apdm-apdf", "mapping: address-and-port-dependent, filtering: address-and-port-dependent"},
    {"hairpinning", "type: full-cone, hairpinning: true"},
    {"no-firewall", "type: full-cone, firewall: false"},
    {"sequential", "type: full-cone, port-allocation: sequential, port-range: 20000-20003"},
    {"symmetric-sequential",
     "type: symmetric, port-allocation: sequential, port-range: 20000-20003"},
    {"symmetric-preserve", "type: symmetric, port-allocation: preserve"},
    {"masquerade-no-firewall", "firewall: false"},
    {"no-port-preservation", "type: full-cone, port-preservation: false"},
    {"symmetric-no-port-preservation", "type: symmetric, port-preservation: false"},
    {"port-range", "type: port-restricted-cone, port-range: 20000-20009"},
    {"masquerade-port-range", "type: masquerade, port-range: 1024-65535"},
    {"forwards", "type: symmetric, forwards: {udp/5000: c0:5000, tcp/8080: 10.0.1.2:80}"},
    {"forwards-filtered-restricted",
     "type: restricted-cone, forwards: {udp/5000: c0:5000 filtered, tcp/8080: c0:80}"},
    {"forwards-filtered-port-restricted",
     "type: port-restricted-cone, forwards: {udp/5000: c0:5000 filtered, tcp/8080: c0:80}"},
    {"forwards-filtered-pool",
     "type: restricted-cone, pool: 100.64.1.200-100.64.1.201, forwards: {udp/5000: c0:5000 "
     "filtered}"},
    {"exclude", "type: full-cone, exclude: [172.16.0.0/12, 224.0.0.0/4]"},
    {"timeouts", "type: full-cone, udp-timeout: {unreplied: 20, established: 300}"},
    {"pool", "type: port-restricted-cone, pooling: arbitrary, pool: 100.64.1.200-100.64.1.201"},
    {"pool-symmetric", "type: symmetric, pool: 100.64.1.200-100.64.1.201"},
};

std::string lab_with(const char* settings) {
    std::string extra = *settings ? std::string(", ") + settings : "";
    return "name: t\nnodes:\n"
           "  c0: {routes: {default: nat0}}\n"
           "  nat0: {kind: nat, outside: wan, routes: {default: internet}" +
           extra +
           "}\n"
           "  internet: {kind: router}\n"
           "links:\n"
           "  - {endpoints: [nat0:lan, c0:eth0], subnet: 10.0.1.0/24}\n"
           "  - {endpoints: [internet:to-nat0, nat0:wan 100.64.1.100], subnet: 100.64.1.0/24}\n";
}

class NatRules : public testing::TestWithParam<NatCase> {};

TEST_P(NatRules, MatchGolden) {
    LoadedLab loaded = load_lab_text(lab_with(GetParam().settings), "nat.yaml");
    const LabNode* nat = loaded.lab.find_node("nat0");
    ASSERT_NE(nat, nullptr);
    std::string actual = render_nat_rules(*nat->nat);
    std::string file = std::string("tests/unit/golden/nat/") + GetParam().name + ".nft";
    EXPECT_EQ(actual, test::golden(file, actual));
}

INSTANTIATE_TEST_SUITE_P(Behaviours, NatRules, testing::ValuesIn(kCases), [](const auto& info) {
    std::string name = info.param.name;
    for (auto& c : name)
        if (c == '-') c = '_';
    return name;
});

// What the rules need is read off the node's links once, by validation.
TEST(NatRules, TheResolvedNodeKnowsWhereItTranslates) {
    LoadedLab loaded = load_lab_text(lab_with("type: full-cone"), "nat.yaml");
    const LabNode* node = loaded.lab.find_node("nat0");
    ASSERT_TRUE(node->nat);
    EXPECT_EQ(node->nat->outside, "wan");
    EXPECT_EQ(node->nat->external_address.str(), "100.64.1.100");
    ASSERT_EQ(node->nat->inside_networks.size(), 1u);
    EXPECT_EQ(node->nat->inside_networks[0].str(), "10.0.1.0/24");
    EXPECT_FALSE(loaded.lab.find_node("c0")->nat);
}

TEST(NatRules, UnsaidClassesTakeDocumentedDefaults) {
    auto nat_of = [](const char* settings) {
        return load_lab_text(lab_with(settings), "nat.yaml").lab.find_node("nat0")->nat->behaviour;
    };
    EXPECT_EQ(nat_of("").type, NatType::masquerade);
    // Any behaviour key asks for natlab's rules: the unsaid class is Linux's default.
    NatBehaviour hairpin = nat_of("hairpinning: true");
    EXPECT_EQ(hairpin.type, std::nullopt);
    EXPECT_EQ(hairpin.mf, (MappingFiltering{Dependence::endpoint_independent,
                                            Dependence::address_and_port_dependent}));
    EXPECT_EQ(nat_of("filtering: endpoint-independent").mf.mapping,
              Dependence::endpoint_independent);
    EXPECT_EQ(nat_of("mapping: address-dependent").mf.filtering,
              Dependence::address_and_port_dependent);
}

// nft refuses comments over 128 bytes, and only when the rules are loaded.
TEST(NatRules, CommentsFitNftables) {
    for (const auto& c : kCases) {
        std::string text = render_nat_rules(
            *load_lab_text(lab_with(c.settings), "nat.yaml").lab.find_node("nat0")->nat);
        for (std::size_t at = 0; (at = text.find("comment \"", at)) != std::string::npos;) {
            at += 9;
            std::size_t end = text.find('"', at);
            EXPECT_LE(end - at, 128u) << c.name << ": " << text.substr(at, end - at);
        }
    }
}

TEST(NatRules, ResetFlushesEveryLearntSet) {
    LoadedLab loaded = load_lab_text(lab_with("type: restricted-cone"), "nat.yaml");
    EXPECT_EQ(render_nat_reset(*loaded.lab.find_node("nat0")->nat),
              "flush map ip natlab inbound\n"
              "flush set ip natlab peers\n"
              "flush map ip natlab eim\n"
              "flush set ip natlab taken\n"
              "flush set ip natlab flow_ports\n"
              "flush set ip natlab flow_owners\n"
              "flush set ip natlab fresh\n"
              "reset counter ip natlab refused\n");
}

// A port is held while its binding lives and while any flow through it does:
// conntrack keeps a stream (or a flow a peer keeps busy) after an unanswered
// flow's refresh has cut the binding's timeouts short, and the port must not
// go to another endpoint meanwhile. Every flow's first packet is checked
// against the live flows of other endpoints and then joins them.
TEST(NatRules, LiveFlowsHoldTheirPortsForTheirEndpoint) {
    for (const char* settings :
         {"type: full-cone", "type: symmetric", "type: full-cone, port-range: 20000-20009",
          "type: port-restricted-cone, pool: 100.64.1.200-100.64.1.201"}) {
        std::string text = render_nat_rules(
            *load_lab_text(lab_with(settings), "nat.yaml").lab.find_node("nat0")->nat);
        const bool pooled = std::string(settings).find("pool") != std::string::npos;
        const std::string port =
            pooled ? "meta l4proto . meta mark . th sport" : "meta l4proto . th sport";
        std::size_t check = text.find(
            port + " @flow_ports " + port +
            " . ct original ip saddr . ct original proto-src != @flow_owners counter name "
            "\"refused\" drop");
        std::size_t join = text.find("add @flow_ports { " + port +
                                     " ct count over 0 } add "
                                     "@flow_owners { " +
                                     port +
                                     " . ct original ip saddr . ct original proto-src ct count "
                                     "over 0 }");
        std::size_t refresh = text.find("update @fresh");
        EXPECT_NE(check, std::string::npos) << settings << "\n" << text;
        EXPECT_NE(join, std::string::npos) << settings << "\n" << text;
        EXPECT_LT(check, join) << settings;  // a refused flow holds nothing
        EXPECT_LT(join, refresh) << settings;
        EXPECT_NE(text.find("ct status dnat"), std::string::npos);  // flows opened from outside
    }
    std::string masquerade =
        render_nat_rules(*load_lab_text(lab_with(""), "nat.yaml").lab.find_node("nat0")->nat);
    EXPECT_EQ(masquerade.find("flow_ports"), std::string::npos);  // the kernel's own: it shares
}

// A small port-range gets natlab's own draws of free ports; a large one the
// kernel's blind pick (its maps would cost more to load than they save).
TEST(NatRules, SmallPortRangesDrawFreePorts) {
    auto rules = [](const char* settings) {
        return render_nat_rules(
            *load_lab_text(lab_with(settings), "nat.yaml").lab.find_node("nat0")->nat);
    };
    std::string small = rules("type: full-cone, port-range: 20000-24095");
    EXPECT_NE(small.find("goto probe"), std::string::npos) << small;
    EXPECT_NE(small.find("meta mark set numgen random mod 4096"), std::string::npos);
    EXPECT_NE(small.find("4095 : 24095 }"), std::string::npos);  // the last slot's port
    EXPECT_NE(small.find("meta mark set th sport map @slot_of update @slots"), std::string::npos);
    std::string large = rules("type: full-cone, port-range: 20000-24096");
    EXPECT_EQ(large.find("probe"), std::string::npos);
    EXPECT_NE(large.find("masquerade to :20000-24096 fully-random"), std::string::npos);
    EXPECT_EQ(rules("type: full-cone, port-allocation: sequential, port-range: 20000-20009")
                  .find("probe"),
              std::string::npos);  // the next port, not a random one
}

// Linux before about 6.5 (Debian 12's 6.1) refuses "... @m" where m is a map
// ("Could not process rule: Invalid argument"): a map is only ever read for
// its value ("map @m") or written ("update @m").
TEST(NatRules, NoRuleLooksUpAMapAsASet) {
    for (const auto& c : kCases) {
        std::string text = render_nat_rules(
            *load_lab_text(lab_with(c.settings), "nat.yaml").lab.find_node("nat0")->nat);
        std::set<std::string> maps;
        for (std::size_t at = 0; (at = text.find("\tmap ", at)) != std::string::npos; at += 5)
            maps.insert(text.substr(at + 5, text.find(' ', at + 5) - at - 5));
        for (std::size_t at = 0; (at = text.find('@', at)) != std::string::npos; ++at) {
            std::string name = text.substr(at + 1, text.find_first_of(" }\n", at) - at - 1);
            if (!maps.count(name)) continue;
            std::string before = text.substr(at >= 7 ? at - 7 : 0, at >= 7 ? 7 : at);
            bool read_for_value = before.ends_with(" map ");
            bool written = before.ends_with("update ");
            EXPECT_TRUE(read_for_value || written)
                << c.name << ": map @" << name
                << " used as a set near: " << text.substr(at >= 60 ? at - 60 : 0, 80);
        }
    }
}

std::string rules_of(const std::string& settings) {
    return render_nat_rules(
        *load_lab_text(lab_with(settings.c_str()), "nat.yaml").lab.find_node("nat0")->nat);
}

// A filtered forward under address-dependent filtering lets in only the
// addresses its target has sent to from the forwarded port: @peers, which
// the learn chain fills from the target's own packets (translated to the
// external port by the forward's rule in postrouting).
TEST(NatRules, AFilteredForwardOfARestrictedConeAdmitsItsTargetsPeers) {
    std::string text = rules_of("type: restricted-cone, forwards: {udp/5000: c0:5000 filtered}");
    EXPECT_NE(text.find("\t\tiifname \"wan\" ip daddr 100.64.1.100 udp dport 5000 meta l4proto . "
                        "ip saddr . th dport @peers dnat ip to 10.0.1.2:5000 comment \"forward: "
                        "udp/5000: c0:5000 filtered (address-dependent: only addresses the target "
                        "sent to)\"\n"),
              std::string::npos)
        << text;
    EXPECT_NE(text.find("\tset peers { type inet_proto . ipv4_addr . inet_service;"),
              std::string::npos);
    EXPECT_NE(text.find("\t\toifname \"wan\" ip saddr 10.0.1.2 udp sport 5000 snat ip to "
                        "100.64.1.100:5000 comment \"forward: udp/5000: c0:5000 filtered (its "
                        "replies and own packets keep the port)\"\n"),
              std::string::npos)
        << text;
    EXPECT_NE(text.find("update @peers { meta l4proto . ip daddr . th sport"), std::string::npos);
}

// Under address-and-port-dependent filtering only replies get in, and
// conntrack lets them in: no DNAT for the forward at all.
TEST(NatRules, AFilteredForwardOfAPortRestrictedConeHasNoDnat) {
    std::string text =
        rules_of("type: port-restricted-cone, forwards: {udp/5000: c0:5000 filtered}");
    EXPECT_EQ(text.find("dnat ip to 10.0.1.2"), std::string::npos) << text;
    EXPECT_NE(text.find("snat ip to 100.64.1.100:5000 comment \"forward: udp/5000: c0:5000 "
                        "filtered (own packets keep the port; only replies get in)\""),
              std::string::npos)
        << text;
    // The port stays the target's.
    EXPECT_NE(text.find("meta l4proto . th sport { udp . 5000 } meta l4proto . th sport . ct "
                        "original ip saddr . ct original proto-src != { udp . 5000 . 10.0.1.2 . "
                        "5000 }"),
              std::string::npos);
}

// Endpoint-independent filtering lets anyone in, filtered or not: the same
// rules, the comment aside.
TEST(NatRules, AFilteredForwardOfAFullConeIsAnUnfilteredOne) {
    std::string filtered = rules_of("type: full-cone, forwards: {udp/5000: c0:5000 filtered}");
    std::string open = rules_of("type: full-cone, forwards: {udp/5000: c0:5000}");
    const std::string comment = "comment \"forward: udp/5000: c0:5000";
    auto without_forward_comments = [&](std::string text) {
        for (std::size_t at = 0; (at = text.find(comment, at)) != std::string::npos;)
            text.erase(at, text.find('\n', at) - at);
        return text;
    };
    EXPECT_EQ(without_forward_comments(filtered), without_forward_comments(open));
    EXPECT_NE(filtered.find("dnat ip to 10.0.1.2:5000 comment \"forward: udp/5000: c0:5000 "
                            "filtered (endpoint-independent: anyone)\""),
              std::string::npos)
        << filtered;
}

TEST(NatRules, TimeoutsBecomeConntrackSysctlsAndEveryFlowIsCounted) {
    using Sysctls = std::vector<std::pair<std::string, std::string>>;
    LoadedLab loaded = load_lab_text(
        lab_with("type: full-cone, udp-timeout: {unreplied: 20, established: 300}"), "nat.yaml");
    EXPECT_EQ(nat_sysctls(*loaded.lab.find_node("nat0")->nat),
              (Sysctls{{"net.netfilter.nf_conntrack_acct", "1"},
                       {"net.netfilter.nf_conntrack_udp_timeout", "20"},
                       {"net.netfilter.nf_conntrack_udp_timeout_stream", "300"}}));
    EXPECT_EQ(nat_sysctls(*load_lab_text(lab_with(""), "n.yaml").lab.find_node("nat0")->nat),
              (Sysctls{{"net.netfilter.nf_conntrack_acct", "1"}}));
}

}  // namespace
}  // namespace natlab
