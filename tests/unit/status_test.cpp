// natlab status without root: a live lab's snapshots compared with its
// topology, every difference a problem with its message.
#include <gtest/gtest.h>

#include "core/lifecycle/loaded_lab.hpp"
#include "core/status/compare.hpp"
#include "core/status/rules_difference.hpp"

using namespace natlab;

namespace {

constexpr char kLab[] = R"(name: st
nodes:
  h1: {routes: {default: r}}
  r: {kind: router}
  h2: {container: true}
links:
  - {endpoints: [h1:eth0, r:lan], subnet: 10.0.1.0/24}
  - {endpoints: [r:wan, h2:eth0], subnet: 10.0.2.0/24}
)";

IpAddress ip(const char* text) {
    return *IpAddress::parse(text);
}

// What the kernel would hold for a node built exactly as planned.
NodeSnapshot as_planned(const LabNode& node) {
    NodeSnapshot snap;
    snap.netns.exists = true;
    int index = 1;
    snap.netns.links.push_back({index, "lo", "natlab lab=st node=" + node.name, true, 65536, {}});
    for (const auto& iface : node.interfaces) {
        snap.netns.links.push_back({++index, iface.name, "", true, 1500, iface.condition});
        for (const auto& a : iface.addresses) {
            snap.netns.addresses.push_back({index, a});
            snap.netns.routes.push_back({a.network(), std::nullopt, index});  // connected
        }
        // The kernel's own link-local, and the one the topology declares.
        snap.netns.addresses.push_back({index, *Cidr::parse("fe80::a8c1:abff:fe00:1/64")});
        if (iface.link_local) snap.netns.addresses.push_back({index, *iface.link_local});
    }
    auto index_of = [&](const std::string& ifname) {
        for (const auto& l : snap.netns.links)
            if (l.name == ifname) return l.index;
        return 0;
    };
    for (const auto& r : node.routes)
        snap.netns.routes.push_back({r.destination, r.gateway, index_of(r.device), !r.gateway});
    for (const auto& p : node.nd_proxy)
        snap.netns.proxy_neighbours.push_back({index_of(p.interface), p.address});
    if (node.container) snap.container = ContainerSnapshot{4711};
    if (node.nat && !node.nat->behaviour.port_mapping.empty())
        snap.port_mapping = PortMappingSnapshot{{"sh", "miniupnpd", "stund"}};
    snap.names = NamesSnapshot{true, true};
    return snap;
}

std::map<std::string, NodeSnapshot> all_as_planned(const Lab& lab) {
    std::map<std::string, NodeSnapshot> out;
    for (const auto& node : lab.nodes) out[node.name] = as_planned(node);
    return out;
}

// A lab whose every node is as planned, made from /labs/NAME.yaml: each test
// spoils one thing.
template <const char* Text>
class LabStatus : public testing::Test {
  protected:
    LoadedLab loaded = load_lab_text(Text, "lab.yaml");
    std::map<std::string, NodeSnapshot> live = all_as_planned(loaded.lab);

    nlohmann::json compare() const {
        return compare_lab(loaded.lab, {"/labs/" + loaded.lab.name + ".yaml", true, {}}, live);
    }
    std::vector<std::string> problems() const { return compare()["problems"]; }
};

class Status : public LabStatus<kLab> {};

TEST_F(Status, ALabAsPlannedIsHealthy) {
    auto j = compare();
    EXPECT_TRUE(j["healthy"]) << j.dump(2);
    EXPECT_EQ(j["source"], "/labs/st.yaml");
    ASSERT_EQ(j["nodes"].size(), 3u);
    EXPECT_EQ(j["nodes"][0]["netns"], "st-h1");
    EXPECT_EQ(j["nodes"][0]["interfaces"][0]["addresses"], nlohmann::json({"10.0.1.1/24"}));
    EXPECT_EQ(j["nodes"][0]["routes"][0]["text"], "default via 10.0.1.2");
    EXPECT_EQ(j["nodes"][2]["container"]["pid"], 4711);
}

TEST_F(Status, AMissingNamespace) {
    live["r"].netns = {};
    EXPECT_EQ(problems(), std::vector<std::string>{"namespace st-r is missing"});
    EXPECT_FALSE(compare()["nodes"][1]["exists"]);
    live.erase("r");
    EXPECT_EQ(problems(), std::vector<std::string>{"namespace st-r is missing"});
}

TEST_F(Status, AMissingAddress) {
    live["r"].netns.addresses.erase(live["r"].netns.addresses.begin());
    EXPECT_EQ(problems(), std::vector<std::string>{"r:lan lacks 10.0.1.2/24"});
}

TEST_F(Status, ADownLink) {
    live["h1"].netns.links[1].up = false;
    EXPECT_EQ(problems(), std::vector<std::string>{"h1:eth0 is down"});
    EXPECT_FALSE(compare()["nodes"][0]["interfaces"][0]["up"]);
}

TEST_F(Status, AMissingLinkAndRoute) {
    auto& h1 = live["h1"].netns;
    h1.links.pop_back();
    h1.routes.pop_back();
    EXPECT_EQ(problems(),
              (std::vector<std::string>{"h1:eth0 is missing", "h1 lacks its route to 0.0.0.0/0"}));
}

TEST_F(Status, AnExtraRoute) {
    live["h2"].netns.routes.push_back({*Cidr::parse("10.9.0.0/16"), ip("10.0.2.1")});
    EXPECT_EQ(problems(), std::vector<std::string>{
                              "h2 has a route the topology does not declare: 10.9.0.0/16 via "
                              "10.0.2.1"});
}

TEST_F(Status, AContainerThatDoesNotRun) {
    live["h2"].container = ContainerSnapshot{};
    EXPECT_EQ(problems(), std::vector<std::string>{"container st-h2 is not running; see "
                                                   "/run/natlab/st/logs/h2.log"});
    EXPECT_FALSE(compare()["nodes"][2]["container"]["running"]);
}

TEST_F(Status, EachNodeShowsItsNamesAndWhatTheyResolveTo) {
    auto j = compare();
    EXPECT_EQ(j["nodes"][1]["names"].dump(),
              R"({"addresses":["10.0.1.2","10.0.2.1"],"files":"/run/natlab/st/etc",)"
              R"("in_place":true,"names":["r.st","r"],"netns_etc":"/etc/netns/st-r"})");
    // A container's hostname (its machine name) is one of its node's names.
    EXPECT_EQ(j["nodes"][2]["names"]["names"], nlohmann::json({"h2.st", "h2", "st-h2"}));
}

TEST_F(Status, NamesNotInPlaceAreNamedWithTheFix) {
    live["h1"].names = NamesSnapshot{false, true};
    live["r"].names = NamesSnapshot{true, false};
    EXPECT_EQ(problems(), (std::vector<std::string>{
                              "the names of h1 are missing: /run/natlab/st/etc lacks its hosts or "
                              "resolv.conf; 'natlab create --replace /labs/st.yaml' writes them "
                              "again",
                              "/etc/netns/st-r is not natlab's link to the names of r, so 'ip "
                              "netns exec st-r' does not see them; 'natlab create --replace "
                              "/labs/st.yaml' writes them again"}));
    EXPECT_FALSE(compare()["nodes"][0]["names"]["in_place"]);
}

TEST_F(Status, WithoutRootNoLinkIsExpected) {
    live["h1"].names = NamesSnapshot{true, std::nullopt};
    auto j = compare();
    EXPECT_TRUE(j["healthy"]) << j.dump(2);
    EXPECT_FALSE(j["nodes"][0]["names"].contains("netns_etc"));
}

TEST_F(Status, AnUnfinishedCreate) {
    auto j = compare_lab(loaded.lab, {"/labs/st.yaml", false, {}}, live);
    EXPECT_EQ(j["problems"][0],
              "its create did not finish (crashed or still running); run 'natlab clean st'");
    EXPECT_FALSE(j["healthy"]);
}

constexpr char kPortMappingLab[] = R"(name: pm
nodes:
  h: {routes: {default: n}}
  n: {kind: nat, outside: wan, port-mapping: all}
  plain: {kind: nat, outside: wan}
links:
  - {endpoints: [n:lan, h:eth0], subnet: 10.0.1.0/24}
  - {endpoints: [n:wan, plain:lan], subnet: 10.0.2.0/24}
  - {endpoints: [plain:wan, h:eth1], subnet: 10.0.3.0/24}
)";

class PortMappingStatus : public LabStatus<kPortMappingLab> {};

TEST_F(PortMappingStatus, BothDaemonsRunningIsHealthyAndOnlyTheServingNatShowsThem) {
    auto j = compare();
    EXPECT_TRUE(j["healthy"]) << j["problems"];
    EXPECT_EQ(
        j["nodes"][1]["port_mapping"],
        nlohmann::json(
            {{"log", "/run/natlab/pm/port-mapping/n.log"}, {"miniupnpd", true}, {"stund", true}}));
    EXPECT_FALSE(j["nodes"][2].contains("port_mapping"));
}

TEST_F(PortMappingStatus, ADaemonThatStoppedIsNamedWithItsLog) {
    live["n"].port_mapping = PortMappingSnapshot{{"miniupnpd"}};
    auto j = compare();
    EXPECT_FALSE(j["healthy"]);
    EXPECT_EQ(j["problems"], nlohmann::json::array({"the port-mapping service of n: stund is not "
                                                    "running; see "
                                                    "/run/natlab/pm/port-mapping/n.log"}));
    EXPECT_FALSE(j["nodes"][1]["port_mapping"]["stund"]);
}

TEST_F(PortMappingStatus, NoSnapshotMeansNeitherRuns) {
    live["n"].port_mapping.reset();
    auto problems = compare()["problems"];
    ASSERT_EQ(problems.size(), 2u) << problems;
    EXPECT_EQ(problems[0],
              "the port-mapping service of n: miniupnpd is not running; see "
              "/run/natlab/pm/port-mapping/n.log");
}

// A NAT's table as nft lists it: what status compares, live and declared.
constexpr char kDeclaredRules[] = R"(table ip natlab {
	counter refused {
		comment "new flows refused"
		packets 0 bytes 0
	}

	map eim {
		type inet_proto . ipv4_addr . inet_service : ipv4_addr . inet_service
		size 131072
		flags dynamic,timeout
		timeout 2m
		comment "inside endpoint -> its one external endpoint"
	}

	map pool {
		type mark : ipv4_addr
		elements = { 0x00000000 : 100.64.1.100, 0x00000001 : 100.64.1.101 }
	}

	chain postrouting {
		type nat hook postrouting priority srcnat; policy accept;
		oifname "wan" meta l4proto { tcp, udp } snat ip to meta l4proto . ip saddr . th sport map @eim
		oifname "wan" masquerade
	}
}
)";

std::string replaced(std::string text, const std::string& from, const std::string& to) {
    auto at = text.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    return at == std::string::npos ? text : text.replace(at, from.size(), to);
}

TEST(RulesDifference, WhatTheRulesLearntIsNoDifference) {
    std::string live = replaced(kDeclaredRules, "packets 0 bytes 0", "packets 17 bytes 2040");
    live = replaced(live, "\t\tcomment \"inside endpoint -> its one external endpoint\"\n",
                    "\t\tcomment \"inside endpoint -> its one external endpoint\"\n"
                    "\t\telements = { udp . 10.0.1.2 . 5000 timeout 2m expires 1m59s : "
                    "100.64.1.100 . 5000,\n"
                    "\t\t\t     udp . 10.0.1.3 . 5000 timeout 2m expires 1m : 100.64.1.100 . "
                    "5001 }\n");
    EXPECT_EQ(rules_differences(kDeclaredRules, live), std::vector<std::string>{});
}

TEST(RulesDifference, ObjectsInAnotherOrderAreNoDifference) {
    // Rules that replace others make their chains anew: listed after the maps.
    std::string eim = kDeclaredRules;
    eim = eim.substr(eim.find("\tmap eim"), eim.find("\tmap pool") - eim.find("\tmap eim"));
    std::string live = replaced(kDeclaredRules, eim, "");
    live = replaced(live, "\tchain postrouting", eim + "\tchain postrouting");
    EXPECT_EQ(rules_differences(kDeclaredRules, live), std::vector<std::string>{});
}

TEST(RulesDifference, EveryChangeByHandIsNamed) {
    auto differences = [](const std::string& live) {
        return rules_differences(kDeclaredRules, live);
    };
    EXPECT_EQ(differences(""), std::vector<std::string>{"table ip natlab is missing"});
    EXPECT_EQ(differences(replaced(kDeclaredRules, "\t\toifname \"wan\" masquerade\n",
                                   "\t\toifname \"wan\" masquerade\n\t\tcounter packets 3 bytes "
                                   "180\n")),
              std::vector<std::string>{"chain postrouting has 3 rules where 2 are declared"});
    EXPECT_EQ(
        differences(replaced(kDeclaredRules, "oifname \"wan\" masquerade", "oifname \"wan\" drop")),
        std::vector<std::string>{"rule 2 of chain postrouting is not as declared"});
    EXPECT_EQ(differences(replaced(kDeclaredRules, "0x00000001 : 100.64.1.101",
                                   "0x00000001 : 100.64.1.102")),
              std::vector<std::string>{"map pool is not as declared"});
    std::string chain = kDeclaredRules;
    chain = chain.substr(chain.find("\tchain postrouting"));
    chain = chain.substr(0, chain.find("\t}\n") + 3);
    EXPECT_EQ(differences(replaced(kDeclaredRules, chain, "")),
              std::vector<std::string>{"chain postrouting is missing"});
    EXPECT_EQ(differences(replaced(kDeclaredRules, "\tchain postrouting",
                                   "\tchain pause {\n\t\ttype filter hook prerouting priority "
                                   "raw; policy accept;\n\t\tdrop\n\t}\n\n\tchain postrouting")),
              std::vector<std::string>{"chain pause is not declared"});
}

constexpr char kNatLab[] = R"(name: nt
nodes:
  h: {routes: {default: n}}
  n: {kind: nat, outside: wan}
  r: {kind: router}
links:
  - {endpoints: [n:lan, h:eth0], subnet: 10.0.1.0/24}
  - {endpoints: [n:wan, r:eth0], subnet: 10.0.2.0/24}
)";

class NatRulesStatus : public LabStatus<kNatLab> {
  protected:
    NatRulesStatus() { live["n"].rules = NatRulesSnapshot{kDeclaredRules, kDeclaredRules, {}}; }
    std::string new_rules = replaced(kDeclaredRules, "masquerade\n", "masquerade random\n");

    nlohmann::json compare_unfinished(std::optional<int> running_pid) const {
        UnfinishedChange u{"n", "natlab set nt n type=symmetric", true, running_pid};
        return compare_lab(loaded.lab, {"/labs/nt.yaml", true, u}, live);
    }
};

TEST_F(NatRulesStatus, RulesAsDeclaredAreHealthy) {
    auto j = compare();
    EXPECT_TRUE(j["healthy"]) << j["problems"];
    EXPECT_TRUE(j["nodes"][1]["rules_as_declared"]);
}

TEST_F(NatRulesStatus, RulesThatDifferAreNamedWithTheFix) {
    live["n"].rules->live = new_rules;
    auto j = compare();
    EXPECT_FALSE(j["healthy"]);
    EXPECT_FALSE(j["nodes"][1]["rules_as_declared"]);
    EXPECT_EQ(j["problems"], nlohmann::json::array({"the nftables rules of n are not the declared "
                                                    "ones: rule 2 of chain postrouting is not as "
                                                    "declared; put them back with 'natlab rules "
                                                    "nt n --reload'"}));
}

TEST_F(NatRulesStatus, AnUnfinishedChangeSaysWhichRulesTheNatRuns) {
    const std::string begun =
        "'natlab set nt n type=symmetric' was begun and not finished (natlab was killed or failed "
        "midway), and ";
    const std::string fix = "; finish it with 'natlab rules nt n --reload'";
    live["n"].rules->unfinished = new_rules;
    EXPECT_EQ(compare_unfinished(std::nullopt)["problems"],
              nlohmann::json::array({begun + "n still runs the old rules" + fix}));
    live["n"].rules->live = new_rules;
    EXPECT_EQ(compare_unfinished(std::nullopt)["problems"],
              nlohmann::json::array(
                  {begun + "n runs the new rules, which the journal does not hold yet" + fix}));
    live["n"].rules->live = "";
    EXPECT_EQ(compare_unfinished(std::nullopt)["problems"],
              nlohmann::json::array({begun +
                                     "the rules of n are neither the old nor the new ones (table "
                                     "ip natlab is missing)" +
                                     fix}));
}

TEST_F(NatRulesStatus, AChangeBeingMadeIsToldAsSuch) {
    live["n"].rules->live = new_rules;
    auto j = compare_unfinished(4711);
    EXPECT_FALSE(j["healthy"]);
    EXPECT_EQ(j["problems"], nlohmann::json::array({"natlab (pid 4711) is making a change now, "
                                                    "'natlab set nt n type=symmetric'; ask again "
                                                    "once it is done"}));
}

TEST_F(NatRulesStatus, AnUnfinishedLinkChangeIsToldWithItsCommand) {
    UnfinishedChange u{"h", "natlab link nt h:eth0 down", false, std::nullopt};
    auto j = compare_lab(loaded.lab, {"/labs/nt.yaml", true, u}, live);
    EXPECT_EQ(j["problems"],
              nlohmann::json::array({"'natlab link nt h:eth0 down' was begun and not finished "
                                     "(natlab was killed or failed midway); finish it by running "
                                     "it again"}));
}

}  // namespace

constexpr char kNdProxyLab[] = R"(name: ndp
nodes:
  isp: {kind: router}
  home: {kind: router, nd-proxy: [wan], routes: {default: "fe80::1%wan"}}
  laptop: {routes: {default: "fe80::1%eth0"}}
links:
  - {endpoints: [isp:to-home fe80::1, home:wan], subnet: "2001:db8::/64"}
  - {endpoints: [home:lan fe80::1, laptop:eth0 2001:db8::100/128]}
)";

class NdProxyStatus : public LabStatus<kNdProxyLab> {};

TEST_F(NdProxyStatus, ProxyEntriesRoutesThroughADeviceAndDeclaredLinkLocalsAsPlanned) {
    auto j = compare();
    EXPECT_TRUE(j["healthy"]) << j["problems"];
    const auto& home = j["nodes"][1];
    EXPECT_EQ(home["nd_proxy"],
              nlohmann::json::array({{{"interface", "wan"}, {"address", "2001:db8::100"}}}));
    // The declared link-local is listed, the kernel's own is not.
    EXPECT_EQ(home["interfaces"][1]["addresses"], nlohmann::json({"fe80::1/64"}));
    std::vector<std::string> routes;
    for (const auto& r : home["routes"]) routes.push_back(r["text"]);
    EXPECT_EQ(routes, (std::vector<std::string>{"default via fe80::1 dev wan",
                                                "2001:db8::100/128 dev lan"}));
    EXPECT_FALSE(j["nodes"][0].contains("nd_proxy"));
}

TEST_F(NdProxyStatus, AMissingProxyEntryOrLinkLocalAndOnesNotDeclared) {
    auto& home = live["home"].netns;
    home.proxy_neighbours.clear();
    home.proxy_neighbours.push_back({3, ip("2001:db8::77")});
    std::erase_if(home.addresses,
                  [](const AddressInfo& a) { return a.address == *Cidr::parse("fe80::1/64"); });
    EXPECT_EQ(problems(),
              (std::vector<std::string>{
                  "home:lan lacks fe80::1/64",
                  "home:lan answers neighbour solicitations for 2001:db8::77, which the topology "
                  "does not declare",
                  "home:wan does not answer neighbour solicitations for 2001:db8::100 (its proxy "
                  "entry is missing)"}));
}

TEST_F(NdProxyStatus, ARouteOutOfTheWrongInterfaceIsNotTheDeclaredOne) {
    auto& routes = live["home"].netns.routes;
    auto to_laptop = std::find_if(routes.begin(), routes.end(), [](const RouteInfo& r) {
        return r.destination == *Cidr::parse("2001:db8::100/128");
    });
    ASSERT_NE(to_laptop, routes.end());
    to_laptop->ifindex = 2;  // wan
    EXPECT_EQ(problems(),
              (std::vector<std::string>{
                  "home has a route the topology does not declare: 2001:db8::100/128 dev wan",
                  "home lacks its route to 2001:db8::100/128"}));
}

TEST_F(NdProxyStatus, EntriesAndRoutesOfADownedInterfaceAreNotMissing) {
    loaded.lab.nodes[1].interfaces[0].down = true;  // wan, as 'natlab link ndp home:wan down'
    auto& home = live["home"].netns;
    home.links[1].up = false;
    home.proxy_neighbours.clear();
    std::erase_if(home.routes, [](const RouteInfo& r) { return r.ifindex == 2; });
    EXPECT_EQ(problems(), std::vector<std::string>{}) << compare().dump(2);
}
