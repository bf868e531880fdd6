// natlab status without root: a live lab's snapshots compared with its
// topology, every difference a problem with its message.
#include <gtest/gtest.h>

#include "core/lab/loaded_lab.hpp"
#include "core/status/compare.hpp"

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
            snap.netns.routes.push_back({a.network(), std::nullopt});  // connected
        }
    }
    for (const auto& r : node.routes) snap.netns.routes.push_back({r.destination, r.gateway});
    if (node.container) snap.container = ContainerSnapshot{4711};
    if (node.nat && !node.nat->behaviour.port_mapping.empty())
        snap.port_mapping = PortMappingSnapshot{{"sh", "miniupnpd", "stund"}};
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
        return compare_lab(loaded.lab, {"/labs/" + loaded.lab.name + ".yaml", true}, live);
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

TEST_F(Status, AnUnfinishedCreate) {
    auto j = compare_lab(loaded.lab, {"/labs/st.yaml", false}, live);
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

}  // namespace
