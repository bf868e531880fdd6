// A live NAT changed: keys laid over the file's (natlab set), the rules that
// replace the old ones keeping what both learn alike, and what rebind and
// flush tell the kernel to forget.
#include <gtest/gtest.h>

#include "core/conntrack/rebind.hpp"
#include "core/lifecycle/live_changes.hpp"
#include "core/nat/nat_settings.hpp"
#include "core/nat/render_nft.hpp"
#include "core/util/invalid_input.hpp"

namespace natlab {
namespace {

const char* kLab =
    "name: t\nnodes:\n"
    "  c0: {routes: {default: nat0}}\n"
    "  nat0: {kind: nat, outside: wan, routes: {default: internet}, type: full-cone}\n"
    "  internet: {kind: router}\n"
    "links:\n"
    "  - {endpoints: [nat0:lan, c0:eth0], subnet: 10.0.1.0/24}\n"
    "  - {endpoints: [internet:to-nat0, nat0:wan 100.64.1.100], subnet: 100.64.1.0/24}\n";

LiveChange nat_change(const std::string& words) {
    return {"nat0", "", std::nullopt, std::nullopt, words, std::nullopt};
}

NatNode nat_of(const std::vector<LiveChange>& changes) {
    return *load_changed_lab(kLab, "t.yaml", "t", changes).lab.find_node("nat0")->nat;
}

TEST(NatSettings, KeysThatSayTheSameThingReplaceEachOther) {
    NatSpec spec;
    spec.mapping = {"address-dependent", {3, 4}};
    spec.port_preservation = {"false", {5, 6}};
    std::vector<std::string> problems;
    apply_nat_settings(spec, {{"type", "full-cone"}, {"port-allocation", "sequential"}}, problems);
    EXPECT_TRUE(problems.empty());
    EXPECT_EQ(spec.type->value, "full-cone");
    EXPECT_FALSE(spec.mapping);
    EXPECT_FALSE(spec.port_preservation);
    // A class over a type keeps what the type meant for the other class.
    apply_nat_settings(spec, {{"filtering", "address-dependent"}, {"port-range", "none"}},
                       problems);
    EXPECT_FALSE(spec.type);
    EXPECT_EQ(spec.mapping->value, "endpoint-independent");
    EXPECT_EQ(spec.filtering->value, "address-dependent");
    EXPECT_FALSE(spec.port_range);
}

TEST(NatSettings, UnknownKeysAndFileOnlyKeysAreRefusedByName) {
    NatSpec spec;
    std::vector<std::string> problems;
    apply_nat_settings(spec, {{"filterng", "x"}, {"forwards", "udp/5000: c0:5000"}}, problems);
    EXPECT_EQ(problems,
              (std::vector<std::string>{
                  "unknown NAT key 'filterng'; a live NAT takes type, mapping, filtering, "
                  "hairpinning, port-allocation, port-preservation, port-range, firewall, "
                  "isolate-inside, "
                  "udp-timeout.unreplied, udp-timeout.established, address; did you mean "
                  "'filtering'?",
                  "'forwards' cannot change on a live NAT; edit the topology file and create the "
                  "lab again"}));
    EXPECT_FALSE(spec.filtering);
}

TEST(NatSettings, WordsRoundTrip) {
    NatSettings s = {{"type", "symmetric"}, {"port-range", "none"}};
    EXPECT_EQ(nat_settings_words(s), "type=symmetric port-range=none");
    EXPECT_EQ(nat_settings_of_words(nat_settings_words(s)), s);
}

TEST(LiveNat, JournalledKeysAreLaidOverTheFilesInOrder) {
    NatNode nat = nat_of({nat_change("type=symmetric"), nat_change("port-allocation=sequential "
                                                                   "port-range=20000-20003")});
    EXPECT_EQ(nat.behaviour.type, NatType::symmetric);
    EXPECT_EQ(nat.behaviour.allocation, PortAllocation::sequential);
    EXPECT_EQ(nat.behaviour.port_range, (PortRange{20000, 20003}));
    EXPECT_EQ(nat_of({nat_change("type=symmetric"), nat_change("type=none")}).behaviour.type,
              NatType::masquerade);  // no key left: the kernel's plain masquerade
}

TEST(LiveNat, AJournalEditedByHandIsToldNotIgnored) {
    LiveChange bad_condition{"c0", "eth0", "delay fast", std::nullopt, std::nullopt, std::nullopt};
    for (const auto& change : {bad_condition, nat_change("type=fullcone")}) {
        try {
            load_changed_lab(kLab, "t.yaml", "t", {change});
            ADD_FAILURE() << "accepted";
        } catch (const InvalidInput& e) {
            EXPECT_NE(std::string(e.what()).find("t.yaml: "), std::string::npos) << e.what();
            EXPECT_NE(std::string(e.what()).find(change.nat ? "fullcone" : "'fast'"),
                      std::string::npos)
                << e.what();
        }
    }
    try {
        load_changed_lab(kLab, "t.yaml", "t", {bad_condition});
    } catch (const InvalidInput& e) {
        EXPECT_EQ(std::string(e.what()).substr(0, 47),
                  "t.yaml: in the lab's journal of changes: delay ");
    }
}

TEST(LiveNat, SettingsAreCheckedWithTheWholeNode) {
    auto problems = [](const NatSettings& s) {
        return nat_settings_problems(kLab, "t.yaml", "t", {}, "nat0", s);
    };
    EXPECT_EQ(problems({{"type", "symmetric"}}), std::vector<std::string>{});
    EXPECT_EQ(problems({{"type", "fullcone"}}),
              std::vector<std::string>{
                  "unknown NAT type 'fullcone' of nat node 'nat0'; use one of full-cone, "
                  "restricted-cone, port-restricted-cone, symmetric, masquerade; did you mean "
                  "'full-cone'?"});
    EXPECT_EQ(problems({{"type", "masquerade"}, {"hairpinning", "true"}}).size(), 1u);
    EXPECT_EQ(nat_settings_problems(kLab, "t.yaml", "t", {}, "nat9", {{"type", "symmetric"}}),
              std::vector<std::string>{"lab t has no node nat9"});
}

TEST(LiveNat, AnAddressSettingRenumbersTheOutsideEnd) {
    NatNode nat = nat_of({nat_change("address=100.64.1.50")});
    EXPECT_EQ(nat.external_address, IpAddress::parse("100.64.1.50"));
    EXPECT_EQ(nat.behaviour.type, NatType::full_cone);  // the rest as it was
    Lab lab = load_changed_lab(kLab, "t.yaml", "t", {nat_change("address=100.64.1.50")}).lab;
    EXPECT_EQ(lab.find_node("nat0")->find_interface("wan")->addresses,
              std::vector<Cidr>{*Cidr::parse("100.64.1.50/24")});
    auto problems = [](const char* value) {
        return nat_settings_problems(kLab, "t.yaml", "t", {}, "nat0", {{"address", value}});
    };
    EXPECT_EQ(problems("100.64.1.x"),
              std::vector<std::string>{"address '100.64.1.x' of nat node 'nat0' is not an IPv4 "
                                       "address; write the new external address, e.g. "
                                       "address=100.64.1.50"});
    EXPECT_FALSE(problems("100.64.9.9").empty());  // not on the link's subnet
    EXPECT_EQ(problems("100.64.1.1"),
              std::vector<std::string>{"that address is internet:to-nat0's (100.64.1.1/24); "
                                       "choose one no node of the lab holds"});
}

TEST(LiveNat, NewRulesKeepTheBindingsBothDeclareAlike) {
    NatNode full = nat_of({}), restricted = nat_of({nat_change("type=restricted-cone")}),
            symmetric = nat_of({nat_change("type=symmetric")});
    std::string to_restricted = render_nat_update(full, restricted);
    EXPECT_EQ(to_restricted.rfind("flush table ip natlab\n", 0), 0u);
    EXPECT_NE(to_restricted.find("delete chain ip natlab learn\n"), std::string::npos);
    EXPECT_NE(to_restricted.find("delete chain ip natlab prerouting\n"), std::string::npos);
    EXPECT_EQ(to_restricted.find("delete map"), std::string::npos);  // eim, inbound stay
    EXPECT_EQ(to_restricted.find("delete set ip natlab taken"), std::string::npos);  // stays
    // Which flows refreshed just now is forgotten: the restricted cone must
    // learn @peers from the next packet of every flow, not 200 ms later.
    EXPECT_NE(to_restricted.find("delete set ip natlab fresh\n"), std::string::npos);
    EXPECT_NE(to_restricted.find(render_nat_rules(restricted)), std::string::npos);
    std::string to_symmetric = render_nat_update(full, symmetric);
    EXPECT_NE(to_symmetric.find("delete map ip natlab eim\n"), std::string::npos);
    EXPECT_NE(to_symmetric.find("delete map ip natlab inbound\n"), std::string::npos);
    EXPECT_EQ(to_symmetric.find("delete set ip natlab taken"), std::string::npos);
    // A set whose timeout changes is declared anew: its entries carry the old one.
    NatNode longer = nat_of({nat_change("udp-timeout.established=300")});
    EXPECT_NE(render_nat_update(full, longer).find("delete set ip natlab taken\n"),
              std::string::npos);
}

ConntrackFlow udp_flow(Endpoint src, Endpoint dst, Endpoint reply_src, Endpoint reply_dst,
                       bool snat, bool dnat) {
    ConntrackFlow f;
    f.protocol = "udp";
    f.original = {src, dst};
    f.reply = {reply_src, reply_dst};
    f.src_nat = snat;
    f.dst_nat = dnat;
    return f;
}

Endpoint ep(const char* ip, std::uint16_t port) {
    return {*IpAddress::parse(ip), port};
}

TEST(Rebind, MovesTheMappingsOfTheChosenEndpointsWithEveryFlowThroughThem) {
    auto out1 = udp_flow(ep("10.0.1.2", 5000), ep("100.64.1.1", 7000), ep("100.64.1.1", 7000),
                         ep("100.64.1.100", 5000), true, false);
    auto out2 = udp_flow(ep("10.0.1.2", 5000), ep("100.64.9.9", 53), ep("100.64.9.9", 53),
                         ep("100.64.1.100", 5000), true, false);
    auto in = udp_flow(ep("100.64.2.100", 4000), ep("100.64.1.100", 5000), ep("10.0.1.2", 5000),
                       ep("100.64.2.100", 4000), false, true);
    auto other = udp_flow(ep("10.0.1.3", 6000), ep("100.64.1.1", 7000), ep("100.64.1.1", 7000),
                          ep("100.64.1.100", 6000), true, false);
    std::vector<ConntrackFlow> flows = {out1, out2, in, other};
    InsideFilter c0{*IpAddress::parse("10.0.1.2"), std::nullopt};
    auto moves = live_mappings(flows, c0);
    ASSERT_EQ(moves, (std::vector<Rebinding>{{"udp", ep("10.0.1.2", 5000), 5000}}));
    EXPECT_EQ(flows_through(flows, moves).size(), 3u);
    EXPECT_EQ(live_mappings(flows, {}).size(), 2u);
    EXPECT_TRUE(live_mappings(flows, {std::nullopt, 5001}).empty());
}

TEST(Rebind, ForgetsWhatTheSetsHoldOfTheMappingAndHoldsItsOldPort) {
    const std::string eim =
        R"({"nftables": [{"map": {"name": "eim", "elem": [)"
        R"([{"elem": {"val": {"concat": ["udp", "10.0.1.2", 5000]}, "expires": 99}},)"
        R"( {"concat": ["100.64.1.100", 5000]}],)"
        R"([{"elem": {"val": {"concat": ["udp", "10.0.1.3", 6000]}, "expires": 99}},)"
        R"( {"concat": ["100.64.1.100", 6000]}]]}}]})";
    const std::string taken = R"({"nftables": [{"set": {"name": "taken", "elem": [)"
                              R"({"elem": {"val": {"concat": ["udp", 5000]}, "expires": 99}},)"
                              R"({"elem": {"val": {"concat": ["udp", 6000]}, "expires": 99}}]}}]})";
    std::vector<Rebinding> moves = {{"udp", ep("10.0.1.2", 5000), 5000}};
    EXPECT_EQ(render_forget({{"map", "eim", eim}, {"set", "taken", taken}}, moves, 30),
              "delete element ip natlab eim { udp . 10.0.1.2 . 5000 }\n"
              "delete element ip natlab taken { udp . 5000 }\n"
              "add element ip natlab taken { udp . 5000 timeout 30s }\n");
    EXPECT_EQ(render_pause(pause_matches(moves, *IpAddress::parse("100.64.1.100"))),
              "add chain ip natlab pause { type filter hook prerouting priority raw; policy "
              "accept; }\n"
              "add rule ip natlab pause ip saddr 10.0.1.2 udp sport 5000 drop\n"
              "add rule ip natlab pause ip daddr 100.64.1.100 udp dport 5000 drop\n");
}

TEST(Rebind, InsideIsANodeOrAnAddressAndMaybeAPort) {
    Lab lab = load_changed_lab(kLab, "t.yaml", "t", {}).lab;
    InsideFilter f = parse_inside_filter(lab, "c0:5000");
    EXPECT_EQ(f.host, IpAddress::parse("10.0.1.2"));
    EXPECT_EQ(f.port, 5000);
    EXPECT_EQ(parse_inside_filter(lab, "10.0.1.7").host, IpAddress::parse("10.0.1.7"));
    auto message = [&lab](const char* text) {
        try {
            parse_inside_filter(lab, text);
        } catch (const InvalidInput& e) {
            return std::string(e.what());
        }
        return std::string("accepted");
    };
    EXPECT_EQ(message("c1"),
              "natlab: --inside 'c1': 'c1' is neither a node of lab t nor an IPv4 address; write "
              "HOST or HOST:PORT, e.g. c0 or 10.0.1.2:5000; did you mean 'c0'?");
    EXPECT_EQ(message("c0:70000"),
              "natlab: --inside 'c0:70000': '70000' is not a port (1-65535); write HOST or "
              "HOST:PORT, e.g. c0:5000");
}

// What status names as unfinished is the command a user would type again.
TEST(LiveNat, AnUnfinishedChangeIsNamedAsTheCommandThatMakesIt) {
    EXPECT_EQ(change_command("t", {nat_change("type=symmetric port-range=none"), true, {}}),
              "natlab set t nat0 type=symmetric port-range=none --bindings drop");
    EXPECT_EQ(change_command("t", {nat_change("address=100.64.1.50"), false, {}}),
              "natlab set t nat0 address=100.64.1.50");
    EXPECT_EQ(
        change_command(
            "t", {{"c0", "eth0", std::nullopt, false, std::nullopt, std::nullopt}, false, {}}),
        "natlab link t c0:eth0 down");
    EXPECT_EQ(change_command("t", {{"c0", "eth0", "delay 40ms loss 1%", std::nullopt, std::nullopt,
                                    std::nullopt},
                                   false,
                                   {}}),
              "natlab set t c0:eth0 --clear delay=40ms loss=1%");
    EXPECT_EQ(change_command(
                  "t", {{"c0", "eth0", "", std::nullopt, std::nullopt, std::nullopt}, false, {}}),
              "natlab set t c0:eth0 --clear");
}

}  // namespace
}  // namespace natlab
