// Containers in the pure core: what a node inherits, the nspawn command line,
// the image build command, and the state records.
#include <gtest/gtest.h>

#include "core/container/image.hpp"
#include "core/container/nspawn_command.hpp"
#include "core/lifecycle/loaded_lab.hpp"
#include "core/lifecycle/state_format.hpp"
#include "core/render/render.hpp"
#include "test_util.hpp"

using namespace natlab;

namespace {

LoadedLab lab_of(const std::string& text) {
    return load_lab_text(text, "lab.yaml");
}

const char* const kInheriting = R"(name: demo
container: {env: {ROLE: peer}, capabilities: [net_admin, SYS_PTRACE]}
nodes:
  r: {kind: router}
  a: {}
  b: {container: {command: "iperf3 -s", env: {ROLE: server}}}
  c: {container: false}
  n: {kind: nat, outside: wan, container: {boot: true}}
links:
  - {endpoints: [a:eth0, r:a], subnet: 10.0.0.0/24}
  - {endpoints: [b:eth0, r:b], subnet: 10.0.1.0/24}
  - {endpoints: [c:eth0, r:c], subnet: 10.0.2.0/24}
  - {endpoints: [n:wan, r:n], subnet: 10.0.3.0/24}
  - {endpoints: [n:lan, c:eth1], subnet: 10.0.4.0/24}
)";

std::vector<StartContainer> containers_of(const Plan& plan) {
    std::vector<StartContainer> out;
    for (const auto& step : plan.steps)
        if (auto* s = std::get_if<StartContainer>(&step)) out.push_back(*s);
    return out;
}

}  // namespace

TEST(Containers, HostsInheritTheLabDefaultOthersOptIn) {
    Lab lab = lab_of(kInheriting).lab;
    EXPECT_FALSE(lab.find_node("r")->container);  // a router: only with its own section
    EXPECT_FALSE(lab.find_node("c")->container);  // 'container: false'
    const LabContainer& a = *lab.find_node("a")->container;
    EXPECT_TRUE(a.host_root());
    EXPECT_FALSE(a.boot);
    EXPECT_EQ(a.command, (std::vector<std::string>{"sleep", "infinity"}));
    EXPECT_EQ(a.capabilities, (std::vector<std::string>{"CAP_NET_ADMIN", "CAP_SYS_PTRACE"}));
    EXPECT_EQ(a.env, (std::vector<std::pair<std::string, std::string>>{{"ROLE", "peer"}}));
    const LabContainer& b = *lab.find_node("b")->container;
    EXPECT_EQ(b.command, (std::vector<std::string>{"/bin/sh", "-c", "iperf3 -s"}));
    EXPECT_EQ(b.env, (std::vector<std::pair<std::string, std::string>>{{"ROLE", "server"}}));
    const LabContainer& n = *lab.find_node("n")->container;
    EXPECT_TRUE(n.boot);
    EXPECT_TRUE(n.command.empty());
}

TEST(Containers, WithoutAnySectionNoNodeRunsOne) {
    Lab lab = load_lab_file(test::source_path("labs/two-nat.yaml")).lab;
    for (const auto& node : lab.nodes) EXPECT_FALSE(node.container) << node.name;
}

TEST(Containers, StartLastAfterEveryNetworkStep) {
    Plan plan = lab_of(kInheriting).plan;
    auto starts = containers_of(plan);
    ASSERT_EQ(starts.size(), 3u);
    EXPECT_EQ(starts[0].machine, "demo-a");
    EXPECT_EQ(starts[0].directory, "/run/natlab/demo/containers/a/root");
    EXPECT_EQ(starts[0].log, "/run/natlab/demo/logs/a.log");
    std::size_t first = plan.steps.size() - starts.size();
    for (std::size_t i = first; i < plan.steps.size(); ++i)
        EXPECT_TRUE(std::holds_alternative<StartContainer>(plan.steps[i]));
}

TEST(Containers, NspawnCommandForACommandOnTheHostTree) {
    auto step = containers_of(lab_of(kInheriting).plan)[1];  // b
    EXPECT_EQ(nspawn_arguments(step, /*register_machine=*/false, /*lab_names=*/true),
              (std::vector<std::string>{
                  "systemd-nspawn", "--quiet", "--directory=/run/natlab/demo/containers/b/root",
                  "--machine=demo-b", "--network-namespace-path=/run/netns/demo-b",
                  "--link-journal=no", "--register=no", "--keep-unit", "--resolv-conf=off",
                  "--bind-ro=/run/natlab/demo/etc/hosts:/etc/hosts",
                  "--bind-ro=/run/natlab/demo/etc/resolv.conf:/etc/resolv.conf",
                  "--capability=CAP_NET_ADMIN,CAP_SYS_PTRACE", "--setenv=ROLE=server", "--as-pid2",
                  "--console=pipe", "--", "/bin/sh", "-c", "iperf3 -s"}));
    EXPECT_EQ(nspawn_environment(step, "/run/natlab/demo/notify"),
              (std::vector<std::string>{"NOTIFY_SOCKET=/run/natlab/demo/notify",
                                        "SYSTEMD_NSPAWN_LOCK=0"}));
    OverlayLayout o = overlay_layout(step);
    EXPECT_EQ(o.mount_point, "/run/natlab/demo/containers/b");
    EXPECT_EQ(o.merged, step.directory);
}

TEST(Containers, NspawnCommandForABootedDirectoryTree) {
    auto loaded = lab_of(R"(name: t
nodes:
  a: {container: {root: /srv/tree, boot: true, ephemeral: true, binds: [/src, "/data:/mnt:ro"]}}
links: []
)");
    auto step = containers_of(loaded.plan).at(0);
    EXPECT_EQ(nspawn_arguments(step, /*register_machine=*/true, /*lab_names=*/true),
              (std::vector<std::string>{
                  "systemd-nspawn", "--quiet", "--directory=/srv/tree", "--machine=t-a",
                  "--network-namespace-path=/run/netns/t-a", "--link-journal=no",
                  "--resolv-conf=off", "--bind-ro=/run/natlab/t/etc/hosts:/etc/hosts",
                  "--bind-ro=/run/natlab/t/etc/resolv.conf:/etc/resolv.conf", "--ephemeral",
                  "--capability=CAP_NET_ADMIN", "--bind=/src:/src", "--bind-ro=/data:/mnt",
                  "--boot", "--notify-ready=yes", "--console=read-only"}));
    // A directory tree keeps nspawn's own image lock.
    EXPECT_EQ(nspawn_environment(step, "/n"), std::vector<std::string>{"NOTIFY_SOCKET=/n"});
}

TEST(Containers, ShellScriptMatchesGolden) {
    std::string actual =
        render_shell(load_lab_file(test::source_path("labs/containers.yaml")).plan);
    EXPECT_EQ(actual, test::golden("tests/unit/golden/containers.sh", actual));
}

TEST(ImageBuild, DebootstrapCommand) {
    ImageSpec spec{"/var/lib/natlab/t", "trixie", {"iperf3", "procps"}, "http://mirror/debian"};
    EXPECT_EQ(image_spec_problem(spec), "");
    EXPECT_EQ(debootstrap_arguments(spec),
              (std::vector<std::string>{
                  "debootstrap", "--variant=minbase",
                  "--include=systemd,systemd-sysv,dbus,iproute2,iputils-ping,nftables,conntrack,"
                  "netcat-openbsd,procps,iperf3",
                  "trixie", "/var/lib/natlab/t", "http://mirror/debian"}));
}

TEST(ImageBuild, RefusesWhatDebootstrapWouldMisuse) {
    EXPECT_EQ(image_spec_problem({"/", "bookworm", {}, "http://m"}),
              "the image directory '/' must be an absolute path other than /, e.g. "
              "/var/lib/natlab/bookworm");
    EXPECT_EQ(image_spec_problem({"/t", "Bookworm;rm", {}, "http://m"}),
              "suite 'Bookworm;rm' is not a Debian suite name; use e.g. bookworm");
    EXPECT_EQ(image_spec_problem({"/t", "bookworm", {"--force"}, "http://m"}),
              "package '--force' is not a Debian package name (lower case letters, digits, + - .)");
    EXPECT_EQ(image_spec_problem({"/t", "bookworm", {}, "ftp://m"}),
              "mirror 'ftp://m' must be an http(s):// or file:/ URL");
}

TEST(StateFormat, ContainerRecordsRoundTrip) {
    ContainerRecord c{"c0", "demo-c0", {4711, 123456}, true, {}};
    std::string text = state_header("demo", "/x.yaml") + state_netns_record("demo-c0") +
                       state_container_record(c) + state_leader_record("c0", {4718, 123460});
    auto state = parse_state(text, "demo");
    ASSERT_TRUE(state);
    ASSERT_EQ(state->containers.size(), 1u);
    c.leader = ProcessRecord{4718, 123460};
    EXPECT_EQ(state->containers[0], c);
    EXPECT_EQ(state->find_container("c0"), &state->containers[0]);
    EXPECT_EQ(state->find_container("c1"), nullptr);
}
