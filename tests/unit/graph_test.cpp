// natlab graph: every bundled lab drawn as DOT and as Mermaid, against golden
// files (NATLAB_UPDATE_GOLDEN=1 rewrites them for a deliberate change), and
// the parts a reader relies on, as exact text.
#include <gtest/gtest.h>

#include <filesystem>

#include "core/lifecycle/loaded_lab.hpp"
#include "core/render/render_graph.hpp"
#include "test_util.hpp"

using namespace natlab;

namespace {

bool has(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

// A home router whose links have conditions, and a bare symmetric NAT.
const char* kConditionsLab = R"(name: pictures
nodes:
  c0: {routes: {default: nat0}}
  nat0: {kind: nat, outside: wan, preset: home-router, routes: {default: internet}}
  bare: {kind: nat, outside: wan, type: symmetric, firewall: false, port-allocation: sequential,
         routes: {default: internet}}
  c1: {routes: {default: bare}}
  internet: {kind: router}
links:
  - {endpoints: [c0:eth0, nat0:lan], subnet: 10.0.1.0/24, preset: dsl}
  - {endpoints: [nat0:wan, internet:to-nat0], subnet: 100.64.1.0/24, delay: 40ms, loss: 1%,
     rate: 20mbit}
  - {endpoints: [bare:lan, c1:eth0], subnet: 10.0.2.0/24}
  - {endpoints: [internet:to-bare, bare:wan], subnet: 100.64.2.0/24}
)";

}  // namespace

TEST(Graph, EveryBundledLabMatchesItsGoldenDiagrams) {
    int labs = 0;
    for (const auto& entry : std::filesystem::directory_iterator(test::source_path("labs"))) {
        if (entry.path().extension() != ".yaml") continue;
        ++labs;
        std::string stem = entry.path().stem().string();
        Lab lab = load_lab_file(entry.path().string()).lab;
        std::string dot = render_dot(lab), mermaid = render_mermaid(lab);
        EXPECT_EQ(dot, test::golden("tests/unit/golden/graph/" + stem + ".dot", dot)) << stem;
        EXPECT_EQ(mermaid, test::golden("tests/unit/golden/graph/" + stem + ".mmd", mermaid))
            << stem;
    }
    EXPECT_GE(labs, 5);
}

TEST(Graph, NatNodesShowTheirBehaviour) {
    Lab lab = load_lab_file(test::source_path("labs/nat-types.yaml")).lab;
    std::string dot = render_dot(lab);
    EXPECT_TRUE(has(dot, R"(<B>nat-sym</B><BR/><FONT POINT-SIZE="9" COLOR="#7c2d12">NAT: )"
                         R"(symmetric</FONT><BR/><FONT POINT-SIZE="9" COLOR="#7c2d12">mapping )"
                         R"(APD, filtering APD</FONT><BR/><FONT POINT-SIZE="9" )"
                         R"(COLOR="#7c2d12">ports: random</FONT>)"))
        << dot;
    EXPECT_TRUE(has(dot,
                    "NAT: full-cone</FONT><BR/><FONT POINT-SIZE=\"9\" COLOR=\"#7c2d12\">"
                    "mapping EI, filtering EI"));
    EXPECT_TRUE(has(dot,
                    "NAT: restricted-cone</FONT><BR/><FONT POINT-SIZE=\"9\" "
                    "COLOR=\"#7c2d12\">mapping EI, filtering AD"));
    EXPECT_TRUE(has(render_mermaid(lab), R"(n_nat_full{{"nat-full<br/>NAT: full-cone<br/>)"
                                         R"(mapping EI, filtering EI<br/>ports: preserve"}})"));

    Lab cgnat = load_lab_file(test::source_path("labs/cgnat.yaml")).lab;
    std::string cg = render_mermaid(cgnat);
    EXPECT_TRUE(has(cg, R"(n_cgn{{"cgn<br/>NAT: restricted cone<br/>preset: cgnat<br/>)"
                        R"(mapping EI, filtering AD<br/>ports: random of 20000-20127<br/>)"
                        R"(blocks of 64 ports<br/>pool: 3 addresses, paired<br/>hairpinning"}})"))
        << cg;

    Lab pictures = load_lab_text(kConditionsLab, "pictures.yaml").lab;
    EXPECT_TRUE(has(render_mermaid(pictures),
                    "NAT: symmetric<br/>mapping APD, filtering APD<br/>ports: sequential<br/>"
                    "no firewall (a bare Linux box)"));
}

TEST(Graph, NatNodesShowTheirIpv6Side) {
    auto lab_with = [](const std::string& ipv6) {
        return load_lab_text(
                   "name: t\nnodes:\n"
                   "  c0: {routes: {default: nat0}}\n"
                   "  nat0: {kind: nat, type: symmetric, outside: wan, routes: {default: "
                   "internet}, ipv6: " +
                       ipv6 +
                       "}\n"
                       "  internet: {kind: router}\n"
                       "links:\n"
                       "  - {endpoints: [nat0:lan, c0:eth0], subnet: [10.0.1.0/24, "
                       "\"fd00:1::/64\"]}\n"
                       "  - {endpoints: [internet:n0, nat0:wan], subnet: [100.64.1.0/24, "
                       "\"2001:db8:ff::/64\"]}\n",
                   "t.yaml")
            .lab;
    };
    auto last_line = [&](const std::string& ipv6) {
        std::string mmd = render_mermaid(lab_with(ipv6));
        auto start = mmd.find("ports: random<br/>") + 18;
        return mmd.substr(start, mmd.find("\"}}", start) - start);
    };
    EXPECT_EQ(last_line("firewall"), "IPv6: firewall, filtering EI");
    EXPECT_EQ(last_line("{mode: firewall, filtering: address-dependent}"),
              "IPv6: firewall, filtering AD");
    EXPECT_EQ(last_line("routed"), "IPv6: routed");
    EXPECT_EQ(last_line("nat66"), "IPv6: NAT66 symmetric, mapping APD, filtering APD");
    EXPECT_EQ(last_line("{mode: nptv6, prefix: \"2001:db8:ee::/64\"}"),
              "IPv6: NPTv6 to 2001:db8:ee::/64");
}

TEST(Graph, InsideAndOutsideAreMarkedAndColoured) {
    Lab lab = load_lab_file(test::source_path("labs/nat-types.yaml")).lab;
    std::string dot = render_dot(lab);
    // The outside row first, orange; the inside row blue.
    EXPECT_TRUE(has(dot, R"(<TR><TD PORT="i1" BGCOLOR="#ffedd5" SIDES="T" BORDER="1"><B>wan</B> )"
                         R"(<FONT COLOR="#ea580c">outside</FONT><BR/>100.64.4.2/24</TD></TR>)"
                         R"(<TR><TD PORT="i0" BGCOLOR="#dbeafe" SIDES="T" BORDER="1"><B>lan</B> )"
                         R"(<FONT COLOR="#2563eb">inside</FONT><BR/>10.0.4.1/24</TD></TR>)"))
        << dot;
    // Each half of a link in its end's colour, the public side drawn first.
    EXPECT_TRUE(has(dot, R"("internet":"i3" -- "nat-sym":"i1" [color="#6b7280;0.5:#ea580c"];)"));
    EXPECT_TRUE(has(dot, R"("nat-sym":"i0" -- "c-sym":"i0" [color="#2563eb;0.5:#6b7280"];)"));
    std::string mermaid = render_mermaid(lab);
    EXPECT_TRUE(has(mermaid, R"(n_internet ---|"sym 100.64.4.1/24 — wan (outside) 100.64.4.2/24"| )"
                             R"(n_nat_sym)"))
        << mermaid;
    EXPECT_TRUE(has(mermaid,
                    "  linkStyle 0,1,2,3 stroke:#2563eb,stroke-width:2px\n"
                    "  linkStyle 4,5,6,7 stroke:#ea580c,stroke-width:2px\n"));
}

TEST(Graph, LinkConditionsShowAtTheEndThatSendsThem) {
    Lab lab = load_lab_text(kConditionsLab, "pictures.yaml").lab;
    std::string dot = render_dot(lab);
    EXPECT_TRUE(has(dot, R"(<B>wan</B> <FONT COLOR="#ea580c">outside</FONT><BR/>100.64.1.1/24)"
                         R"(<BR/><FONT POINT-SIZE="9" COLOR="#7c2d12">sends delay 40ms loss 1% )"
                         R"(rate 20mbit</FONT>)"))
        << dot;
    // dsl: the first endpoint (c0) sends at 1mbit, nat0 at 10mbit.
    EXPECT_TRUE(has(dot, R"(<B>eth0</B><BR/>10.0.1.1/24<BR/><FONT POINT-SIZE="9" )"
                         R"(COLOR="#7c2d12">sends delay 10ms rate 1mbit</FONT>)"));
    EXPECT_TRUE(has(render_mermaid(lab),
                    R"(n_nat0 ---|"lan (inside) 10.0.1.2/24, sends delay 10ms rate 10mbit — eth0 )"
                    R"(10.0.1.1/24, sends delay 10ms rate 1mbit"| n_c0)"));
}

TEST(Graph, TheLegendSaysWhatTheShortWordsMean) {
    Lab lab = load_lab_file(test::source_path("labs/two-nat.yaml")).lab;
    std::string dot = render_dot(lab);
    EXPECT_TRUE(has(dot, "  label=<<TABLE")) << dot;
    EXPECT_TRUE(has(dot, "\n  labelloc=b;\n"));
    for (const char* row :
         {R"(<TD ALIGN="LEFT"><B>EI</B> endpoint-independent</TD><TD ALIGN="LEFT">an inside )"
          R"(endpoint keeps one public endpoint, whatever it sends to</TD><TD ALIGN="LEFT">)"
          R"(anyone may send in through a mapping</TD>)",
          R"(<TD ALIGN="LEFT"><B>AD</B> address-dependent</TD><TD ALIGN="LEFT">a new public )"
          R"(endpoint for each remote address</TD><TD ALIGN="LEFT">only addresses the inside )"
          R"(host has sent to may send in</TD>)",
          R"(<TD ALIGN="LEFT"><B>APD</B> address-and-port-dependent</TD><TD ALIGN="LEFT">a new )"
          R"(public endpoint for each remote address and port</TD><TD ALIGN="LEFT">only the )"
          R"(exact address and port the inside host has sent to may send in</TD>)",
          R"(<FONT COLOR="#2563eb">inside</FONT></TD><TD COLSPAN="2" ALIGN="LEFT">a NAT's )"
          R"(private side (blue): hosts there are translated on their way out</TD>)",
          R"(<FONT COLOR="#ea580c">outside</FONT></TD><TD COLSPAN="2" ALIGN="LEFT">a NAT's )"
          R"(public side (orange): what leaves it carries the NAT's address</TD>)"})
        EXPECT_TRUE(has(dot, row)) << row;
    std::string mermaid = render_mermaid(lab);
    EXPECT_TRUE(has(mermaid, "  subgraph natlab_legend [\"legend\"]\n")) << mermaid;
    EXPECT_TRUE(has(mermaid,
                    "<br/>AD address-dependent. mapping: a new public endpoint for each "
                    "remote address. filtering: only addresses the inside host has sent "
                    "to may send in.<br/>"));
}

TEST(Graph, ALabWithoutNatsHasNoNatLegend) {
    Lab lab = load_lab_text(
                  "name: flat\nnodes: {a: {}, b: {}}\n"
                  "links: [{endpoints: [a:eth0, b:eth0], subnet: 10.0.0.0/24, loss: 2%}]\n",
                  "flat.yaml")
                  .lab;
    std::string dot = render_dot(lab);
    EXPECT_FALSE(has(dot, "endpoint-independent")) << dot;
    EXPECT_TRUE(has(dot,
                    "sends: what that end does to the packets it sends (delay, jitter, "
                    "loss, rate)"));
    EXPECT_TRUE(has(dot, R"("a":"i0" -- "b":"i0" [color="#6b7280"];)"));
    EXPECT_FALSE(has(render_mermaid(lab), "linkStyle"));
}

TEST(Graph, MarkupInNamesIsEscapedAndMermaidIdsAvoidKeywords) {
    Lab lab = load_lab_text(
                  "name: esc\nnodes: {end: {}, b: {}}\n"
                  "links: [{endpoints: [\"end:a<b&c\", b:eth0], subnet: 10.0.0.0/24}]\n",
                  "esc.yaml")
                  .lab;
    EXPECT_TRUE(has(render_dot(lab), "<B>a&lt;b&amp;c</B>")) << render_dot(lab);
    std::string mermaid = render_mermaid(lab);
    EXPECT_TRUE(has(mermaid, R"(n_end ---|"a#lt;b&c 10.0.0.1/24 — eth0 10.0.0.2/24"| n_b)"))
        << mermaid;
}
