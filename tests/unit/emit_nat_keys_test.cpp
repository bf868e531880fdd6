// Every key the loader takes for a NAT node is written back by emit_yaml and
// loads into the same lab: a lab built from data (the matrix's) keeps all
// its NAT's keys. A key the loader learns without a sample here fails the
// first test, so none can be dropped unseen.
#include <gtest/gtest.h>

#include <yaml-cpp/yaml.h>

#include <map>

#include "core/lifecycle/lab_description.hpp"
#include "core/lifecycle/loaded_lab.hpp"
#include "core/nat/load_nat.hpp"
#include "core/render/render.hpp"
#include "core/topology/emit_yaml.hpp"
#include "core/topology/load.hpp"
#include "test_util.hpp"

namespace natlab {
namespace {

// Each NAT key as a file could write it, with the keys it needs beside it.
const std::map<std::string, std::string>& samples() {
    static const std::map<std::string, std::string> keys = {
        {"type", "type: symmetric"},
        {"mapping", "mapping: address-dependent"},
        {"filtering", "filtering: address-dependent"},
        {"hairpinning", "hairpinning: true"},
        {"port-preservation", "port-preservation: false"},
        {"port-range", "port-range: 20000-29999"},
        {"udp-timeout", "udp-timeout: {unreplied: 20, established: 300}"},
        {"forwards",
         "forwards: {udp/5000: c0:5000, udp/5001: c0:5001 filtered, tcp/8080: '10.0.1.2:80'}"},
        {"exclude", "exclude: [172.16.0.0/12]"},
        {"firewall", "firewall: false"},
        {"isolate-inside", "isolate-inside: true"},
        {"port-allocation", "port-allocation: sequential"},
        {"preset", "preset: home-router"},
        {"pool", "type: full-cone, pool: [100.64.1.200-100.64.1.201]"},
        {"pooling", "type: symmetric, pooling: arbitrary, pool: 100.64.1.200-100.64.1.203"},
        {"allow-outbound", "preset: udp-blocked, allow-outbound: [tcp/443, udp/53]"},
        {"port-block",
         "preset: cgnat, pool: 100.64.1.200-100.64.1.203, port-range: 20000-20511, "
         "port-block: 8"},
        {"one-to-one", "one-to-one: c0"},
        {"port-mapping", "port-mapping: [upnp, pcp]"},
        {"nat64", "nat64: {prefix: \"2001:db8:64::/96\", pool: 10.255.0.0/24}"},
        {"ipv6", "ipv6: {mode: firewall, filtering: address-dependent, echo: drop}"},
    };
    return keys;
}

// The sample's lab; NAT64 needs IPv6 hosts behind the NAT.
std::string lab_of(const std::string& key, const std::string& sample) {
    std::string text = test::lab_with_nat(sample);
    if (key != "nat64") return text;
    const std::string v4 = "subnet: 10.0.1.0/24}";
    return text.replace(text.find(v4), v4.size(), "subnet: [10.0.1.0/24, \"2001:db8:1::/64\"]}");
}

const DescriptionContext kContext{"/l.yaml", "/bin/natlab", "/run/natlab/x/lab.json", false};

TEST(EmitNatKeys, EveryKeyTheLoaderTakesHasASample) {
    for (const auto& key : nat_behaviour_keys())
        EXPECT_TRUE(samples().count(key)) << "add a sample of NAT key '" << key << "' here";
}

TEST(EmitNatKeys, EveryKeyIsWrittenBackAndLoadsIntoTheSameLab) {
    for (const auto& key : nat_behaviour_keys()) {
        auto sample = samples().find(key);
        if (sample == samples().end()) continue;  // the test above says so
        LoadedLab original = load_lab_text(lab_of(key, sample->second), "t.yaml");
        Diagnostics diag("t.yaml");
        Topology topo = load_topology(original.text, "t.yaml", diag);
        ASSERT_TRUE(diag.empty()) << diag.render();
        std::string emitted = emit_yaml(topo);
        EXPECT_TRUE(YAML::Load(emitted)["nodes"]["nat0"][key]) << key << " is dropped:\n"
                                                               << emitted;
        LoadedLab again = load_lab_text(emitted, "copy.yaml");
        EXPECT_EQ(render_shell(again.plan), render_shell(original.plan)) << key;
        EXPECT_EQ(describe_lab(again.lab, kContext), describe_lab(original.lab, kContext)) << key;
    }
}

}  // namespace
}  // namespace natlab
