// A topology written back as YAML (what a lab built from data keeps as its
// topology copy) loads into the very lab it came from.
#include <gtest/gtest.h>

#include <filesystem>

#include "core/lifecycle/lab_description.hpp"
#include "core/lifecycle/loaded_lab.hpp"
#include "core/render/render.hpp"
#include "core/topology/emit_yaml.hpp"
#include "core/topology/load.hpp"
#include "test_util.hpp"

using namespace natlab;

namespace {

// Every key a topology file can hold, once.
const char* kEverything = R"(name: every-key
probe-server: internet
container: {root: /srv/tree, ephemeral: true, ready-timeout: 5, env: {LAB: "x y", N: "1"}}
nodes:
  c0: {routes: {default: nat0, 10.9.0.0/16: 10.0.1.1, "fd00:9::/64": "fe80::1%eth0"},
       sysctls: {net.ipv4.conf.all.rp_filter: 0},
       container: {boot: false, command: "nc -l 5000 > /tmp/log", capabilities: [CAP_NET_RAW],
                   binds: ["/tmp:/mnt:ro"]}}
  c1: {container: false, routes: {default: 10.0.2.1}}
  nat0: {kind: nat, outside: wan, routes: {default: internet}, type: full-cone, hairpinning: true,
         port-preservation: false, port-range: 20000-29999, firewall: false,
         udp-timeout: {unreplied: 20, established: 300},
         forwards: {udp/5000: c0:5000, tcp/8080: "10.0.1.2:80"}, exclude: [172.16.0.0/12],
         nd-proxy: [wan]}
  nat1: {kind: nat, outside: [wan], mapping: address-dependent, filtering: address-dependent}
  sw: {kind: switch, subnet: [10.0.2.0/24, fd00:2::/64]}
  internet: {kind: router}
links:
  - {endpoints: [nat0:lan fe80::1, c0:eth0 10.0.1.2 fd00:1::100/128], subnet: 10.0.1.0/24,
     mtu: 1400}
  - {endpoints: [nat1:lan, sw:p1]}
  - {endpoints: [c1:eth0, sw:p2 ]}
  - {endpoints: [internet:to-nat0 100.64.1.1/24, nat0:wan 100.64.1.100/24 fd00:1::2/64]}
  - {endpoints: [internet:to-nat1, nat1:wan], subnet: [100.64.2.0/24, fd00:3::/64]}
)";

const DescriptionContext kContext{"/l.yaml", "/bin/natlab", "/run/natlab/x/lab.json", false};

void expect_same_lab(const LoadedLab& original, const std::string& what) {
    Diagnostics diag(original.path);
    Topology topo = load_topology(original.text, original.path, diag);
    ASSERT_TRUE(diag.empty()) << diag.render();
    LoadedLab rebuilt = load_lab_topology(topo);
    EXPECT_EQ(render_text(rebuilt.plan), render_text(original.plan)) << what;
    EXPECT_EQ(render_shell(rebuilt.plan), render_shell(original.plan)) << what;
    EXPECT_EQ(describe_lab(rebuilt.lab, kContext), describe_lab(original.lab, kContext)) << what;
    // And the text it keeps loads like any file.
    LoadedLab reloaded = load_lab_text(rebuilt.text, "copy.yaml");
    EXPECT_EQ(render_shell(reloaded.plan), render_shell(original.plan)) << what << ":\n"
                                                                        << rebuilt.text;
}

}  // namespace

TEST(EmitYaml, EveryBundledLabComesBackTheSame) {
    int count = 0;
    for (const auto& entry : std::filesystem::directory_iterator(test::source_path("labs"))) {
        if (entry.path().extension() != ".yaml") continue;
        ++count;
        expect_same_lab(load_lab_file(entry.path().string()), entry.path().string());
    }
    EXPECT_GE(count, 5);
}

TEST(EmitYaml, EveryKeyComesBackTheSame) {
    expect_same_lab(load_lab_text(kEverything, "every.yaml"), "every key");
}
