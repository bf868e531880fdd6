// natlab matrix's lab, built as data, and its table.
#include <gtest/gtest.h>

#include "core/lifecycle/loaded_lab.hpp"
#include "core/punch/matrix.hpp"
#include "core/punch/punch_report.hpp"
#include "core/render/render.hpp"
#include "core/util/invalid_input.hpp"

using namespace natlab;

namespace {

// The lab the matrix has always built, as a file would write it.
const char* kWritten = R"(name: matrix
nodes:
  internet: {kind: router}
  nat-full-1: {kind: nat, type: full-cone, outside: wan, routes: {default: internet}}
  full-1: {routes: {default: nat-full-1}}
  nat-full-2: {kind: nat, type: full-cone, outside: wan, routes: {default: internet}}
  full-2: {routes: {default: nat-full-2}}
  nat-rc-1: {kind: nat, type: restricted-cone, outside: wan, routes: {default: internet}}
  rc-1: {routes: {default: nat-rc-1}}
  nat-rc-2: {kind: nat, type: restricted-cone, outside: wan, routes: {default: internet}}
  rc-2: {routes: {default: nat-rc-2}}
  nat-prc-1: {kind: nat, type: port-restricted-cone, outside: wan, routes: {default: internet}}
  prc-1: {routes: {default: nat-prc-1}}
  nat-prc-2: {kind: nat, type: port-restricted-cone, outside: wan, routes: {default: internet}}
  prc-2: {routes: {default: nat-prc-2}}
  nat-sym-1: {kind: nat, type: symmetric, outside: wan, routes: {default: internet}}
  sym-1: {routes: {default: nat-sym-1}}
  nat-sym-2: {kind: nat, type: symmetric, outside: wan, routes: {default: internet}}
  sym-2: {routes: {default: nat-sym-2}}
links:
  - {endpoints: [nat-full-1:lan, full-1:eth0], subnet: 10.0.1.0/24}
  - {endpoints: [internet:full-1, nat-full-1:wan], subnet: 100.64.1.0/24}
  - {endpoints: [nat-full-2:lan, full-2:eth0], subnet: 10.0.2.0/24}
  - {endpoints: [internet:full-2, nat-full-2:wan], subnet: 100.64.2.0/24}
  - {endpoints: [nat-rc-1:lan, rc-1:eth0], subnet: 10.0.3.0/24}
  - {endpoints: [internet:rc-1, nat-rc-1:wan], subnet: 100.64.3.0/24}
  - {endpoints: [nat-rc-2:lan, rc-2:eth0], subnet: 10.0.4.0/24}
  - {endpoints: [internet:rc-2, nat-rc-2:wan], subnet: 100.64.4.0/24}
  - {endpoints: [nat-prc-1:lan, prc-1:eth0], subnet: 10.0.5.0/24}
  - {endpoints: [internet:prc-1, nat-prc-1:wan], subnet: 100.64.5.0/24}
  - {endpoints: [nat-prc-2:lan, prc-2:eth0], subnet: 10.0.6.0/24}
  - {endpoints: [internet:prc-2, nat-prc-2:wan], subnet: 100.64.6.0/24}
  - {endpoints: [nat-sym-1:lan, sym-1:eth0], subnet: 10.0.7.0/24}
  - {endpoints: [internet:sym-1, nat-sym-1:wan], subnet: 100.64.7.0/24}
  - {endpoints: [nat-sym-2:lan, sym-2:eth0], subnet: 10.0.8.0/24}
  - {endpoints: [internet:sym-2, nat-sym-2:wan], subnet: 100.64.8.0/24}
)";

MatrixCell cell(const MatrixType& a, const MatrixType& b, bool works, bool expected) {
    MatrixCell c{a, b, {}};
    c.run.report.a_to_b = c.run.report.b_to_a = works;
    c.run.report.expected = expected ? PunchExpectation::works : PunchExpectation::fails;
    if (!works) c.run.report.why_not_a_to_b = a.key + " cannot reach " + b.key;
    return c;
}

}  // namespace

TEST(Matrix, TheLabBuiltAsDataIsTheLabItAlwaysWas) {
    LoadedLab data =
        load_lab_topology(matrix_topology(parse_matrix_types("classic")), "matrix-1a2b3c");
    LoadedLab written = load_lab_text(kWritten, "<matrix>", "matrix-1a2b3c");
    EXPECT_EQ(render_shell(data.plan), render_shell(written.plan));
    EXPECT_EQ(data.lab.nodes.size(), 17u);
    EXPECT_EQ(data.lab.name, "matrix-1a2b3c");
    EXPECT_NE(data.text.find("name: matrix-1a2b3c"), std::string::npos) << data.text;
}

TEST(Matrix, TheTableShowsEveryCellAndWhyFailuresFail) {
    std::vector<MatrixCell> cells;
    const auto types = parse_matrix_types("classic");
    for (const auto& a : types)
        for (const auto& b : types) {
            bool sym = a.type == "symmetric" || b.type == "symmetric";
            cells.push_back(cell(a, b, !sym, !sym));
        }
    cells.back() = cell(types.back(), types.back(), false, true);
    std::string text = render_matrix("matrix-x", types, cells);
    EXPECT_NE(text.find("(measured in lab matrix-x)"), std::string::npos) << text;
    EXPECT_NE(text.find("symmetric             fails                 fails"), std::string::npos)
        << text;
    EXPECT_NE(text.find("fails (theory: works)"), std::string::npos) << text;
    EXPECT_NE(text.find("Some cells disagree with theory (marked)."), std::string::npos) << text;
    EXPECT_NE(text.find("  full-cone -> symmetric: full cannot reach sym\n"), std::string::npos)
        << text;
    // Each failing pair once: sym -> full is full -> sym seen from the other side.
    EXPECT_EQ(text.find("  symmetric -> full-cone"), std::string::npos) << text;
    EXPECT_FALSE(agrees_with_theory(cells));
    auto j = matrix_json("matrix-x", cells);
    EXPECT_EQ(j["pairs"].size(), 16u);
    EXPECT_EQ(j["agrees_with_theory"], false);
}

TEST(MatrixTypes, ClassicNamesPairsModifiersAndSets) {
    auto types = parse_matrix_types("full-cone, ad/ei,symmetric+sequential,masquerade+bare");
    ASSERT_EQ(types.size(), 4u);
    EXPECT_EQ(types[0].key, "full");
    EXPECT_EQ(types[0].type, "full-cone");
    EXPECT_EQ(types[1].key, "ad-ei");
    EXPECT_EQ(types[1].mapping, "address-dependent");
    EXPECT_EQ(types[1].filtering, "endpoint-independent");
    EXPECT_EQ(types[2].key, "sym-seq");
    EXPECT_EQ(types[2].label, "symmetric+sequential");
    EXPECT_EQ(types[2].port_allocation, "sequential");
    EXPECT_EQ(types[3].firewall, "false");
    EXPECT_EQ(parse_matrix_types("classic").size(), 4u);
    auto all = parse_matrix_types("all");
    EXPECT_EQ(all.size(), 12u);
    for (const auto& t : all)
        EXPECT_LE(t.key.size() + 2, 15u) << t.key;  // host names name interfaces
    // Every type builds a lab that loads (its keys pass validation).
    EXPECT_EQ(load_lab_topology(matrix_topology(all), "matrix-1").lab.nodes.size(), 49u);
}

TEST(MatrixTypes, PresetsAreTypesToo) {
    auto types = parse_matrix_types("home-router,udp-blocked,cgnat+bare");
    ASSERT_EQ(types.size(), 3u);
    EXPECT_EQ(types[0].preset, "home-router");
    EXPECT_EQ(types[0].key, "home");
    EXPECT_EQ(types[2].firewall, "false");
    Lab lab = load_lab_topology(matrix_topology(types), "m").lab;
    const LabNode* udp = lab.find_node("nat-udpb-1");
    ASSERT_TRUE(udp && udp->nat);
    EXPECT_TRUE(udp->nat->behaviour.allowed_outbound);
    // No UDP out: theory says nothing punches through it.
    PunchNat blocked = punch_nat(lab, "udpb-1"), home = punch_nat(lab, "home-1");
    EXPECT_EQ(blocked.blocks_udp,
              "lets only tcp/80, tcp/443 out (allow-outbound): no UDP to punch with");
    EXPECT_EQ(judge_punch({}, blocked, home).expected, PunchExpectation::fails);
    EXPECT_EQ(judge_punch({}, home, home).expected, PunchExpectation::works);
}

TEST(MatrixTypes, ClearErrors) {
    auto message = [](const std::string& list) {
        try {
            parse_matrix_types(list);
        } catch (const std::exception& e) {
            return std::string(e.what());
        }
        return std::string("no error");
    };
    const std::string choose =
        "; choose from full-cone, restricted-cone, port-restricted-cone, symmetric, masquerade, a "
        "pair such as ad/ei (ei, ad, apd), each with +preserve, +sequential, +random or +bare; "
        "a preset (home-router, cgnat, mobile-carrier, enterprise-firewall, cloud-1to1, "
        "udp-blocked); "
        "classic; all; with --ipv6 also firewall, firewall/ei, firewall/ad, firewall/apd, routed, "
        "nptv6 and ipv6";
    EXPECT_EQ(message("full-cnoe"),
              "natlab matrix: --types item 'full-cnoe': not a NAT type; did you mean "
              "'full-cone'?" +
                  choose);
    EXPECT_EQ(message("ei/xx"),
              "natlab matrix: --types item 'ei/xx': a pair is MAPPING/FILTERING, "
              "each one of ei, ad, apd" +
                  choose);
    EXPECT_EQ(message("symmetric+fast"),
              "natlab matrix: --types item 'symmetric+fast': no modifier 'fast'" + choose);
    EXPECT_EQ(message("masquerade+random"),
              "natlab matrix: --types item 'masquerade+random': masquerade's ports are the "
              "kernel's own choice" +
                  choose);
    EXPECT_EQ(message("cloud-1to1+random"),
              "natlab matrix: --types item 'cloud-1to1+random': a one-to-one NAT keeps every port "
              "and lets anyone in, so no modifier applies" +
                  choose);
    EXPECT_EQ(message("classic,full-cone"),
              "natlab matrix: --types item 'full-cone': listed twice" + choose);
    EXPECT_EQ(message("full-cone,,symmetric"),
              "natlab matrix: --types item '': an empty item" + choose);
    EXPECT_EQ(message("firewall/xx"),
              "natlab matrix: --types item 'firewall/xx': a firewall is firewall or "
              "firewall/FILTERING, FILTERING one of ei, ad, apd" +
                  choose);
    EXPECT_EQ(message("firewall+random"),
              "natlab matrix: --types item 'firewall+random': an IPv6 firewall side translates "
              "nothing: its ports are the host's" +
                  choose);
    EXPECT_EQ(message("routed+bare"),
              "natlab matrix: --types item 'routed+bare': +bare turns a firewall off, and routed "
              "has none" +
                  choose);
}

TEST(MatrixTypes, OverIpv6EachNatHasItsTypesIpv6Side) {
    auto types = parse_matrix_types("ipv6");
    std::vector<std::string> keys;
    for (const auto& t : types) keys.push_back(t.key);
    EXPECT_EQ(keys, (std::vector<std::string>{"fw-ei", "fw-ad", "fw-apd", "routed", "sym"}));
    Lab lab = load_lab_topology(
                  matrix_topology(parse_matrix_types("firewall/ad,symmetric,nptv6,home-router,"
                                                     "firewall+bare"),
                                  Family::ipv6),
                  "m")
                  .lab;
    auto side = [&](const std::string& nat) { return *lab.find_node(nat)->nat->ipv6; };
    EXPECT_EQ(side("nat-fw-ad-1").mode, Ipv6Mode::firewall);
    EXPECT_EQ(side("nat-fw-ad-1").behaviour.mf.filtering, Dependence::address_dependent);
    EXPECT_EQ(side("nat-sym-2").mode, Ipv6Mode::nat66);  // a NAT66 of the type's classes
    EXPECT_EQ(side("nat-sym-2").behaviour.mf, classic_behaviour(NatType::symmetric));
    EXPECT_EQ(side("nat-npt-1").mode, Ipv6Mode::nptv6);
    EXPECT_EQ(side("nat-npt-1").outside_prefix->str(), "2001:db8:ee:5::/64");
    EXPECT_EQ(side("nat-home-1").mode, Ipv6Mode::firewall);  // the preset's own side
    EXPECT_FALSE(side("nat-fw-bare-1").behaviour.firewall);
    // Theory over IPv6 judges the sides: two firewalls connect.
    EXPECT_EQ(judge_punch({}, punch_nat(lab, "fw-ad-1", Family::ipv6),
                          punch_nat(lab, "fw-bare-2", Family::ipv6))
                  .expected,
              PunchExpectation::works);
    // An IPv6 side has no meaning for an IPv4 matrix.
    EXPECT_THROW(matrix_topology(parse_matrix_types("routed"), Family::ipv4), InvalidInput);
}

TEST(MatrixTypes, BareBoxesMakeRacesAndTheTableSaysSo) {
    auto types = parse_matrix_types("masquerade+bare,symmetric+sequential");
    std::vector<MatrixCell> cells;
    for (const auto& a : types)
        for (const auto& b : types) cells.push_back(cell(a, b, false, false));
    cells[0].run.report.expected = PunchExpectation::race;
    EXPECT_TRUE(agrees_with_theory(cells));
    std::string text = render_matrix("mx", types, cells);
    EXPECT_NE(text.find("masquerade+bare       fails (race)"), std::string::npos) << text;
    EXPECT_NE(text.find("either result agrees with theory"), std::string::npos) << text;
    EXPECT_NE(text.find("port prediction (RFC 5128)"), std::string::npos) << text;
}
