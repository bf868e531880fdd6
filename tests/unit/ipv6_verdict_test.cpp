// A NAT's IPv6 side as verify judges it: what each mode declares
// (core/nat/ipv6_classes) and the verdict against what was measured.
#include <gtest/gtest.h>

#include "core/nat/ipv6_classes.hpp"
#include "core/probe/verdict.hpp"

namespace natlab {
namespace {

Endpoint ep(const char* ip, std::uint16_t port) {
    return {*IpAddress::parse(ip), port};
}

Ipv6Side side(Ipv6Mode mode, Dependence filtering = Dependence::endpoint_independent) {
    Ipv6Side s;
    s.mode = mode;
    s.behaviour.mf.filtering = filtering;
    return s;
}

LabNode nat_with(const Ipv6Side& s) {
    LabNode nat;
    nat.name = "home";
    nat.nat = NatNode{};
    nat.nat->behaviour.type = NatType::symmetric;  // IPv4's: none of it crosses over
    nat.nat->behaviour.mf = classic_behaviour(NatType::symmetric);
    nat.nat->ipv6 = s;
    return nat;
}

// What a STUN probe sees through a side that does not translate.
NatMeasurement untranslated(Dependence filtering) {
    NatMeasurement m;
    m.behind_nat = false;
    m.mf = {Dependence::endpoint_independent, filtering};
    m.hairpinning = true;  // the other inside socket reaches the address directly
    m.port_preservation = true;
    m.mapped = ep("2001:db8:1:1::2", 20001);
    return m;
}

TEST(Ipv6Classes, TheFirewallTranslatesNothingAndFiltersAsDeclared) {
    Ipv6Side fw = side(Ipv6Mode::firewall, Dependence::address_dependent);
    fw.behaviour.udp_unreplied_timeout = 5;
    NatBehaviour b = ipv6_effective_behaviour(fw);
    EXPECT_EQ(b.mf,
              (MappingFiltering{Dependence::endpoint_independent, Dependence::address_dependent}));
    EXPECT_EQ(b.allocation, PortAllocation::preserve);
    EXPECT_TRUE(b.firewall);
    EXPECT_EQ(b.udp_unreplied_timeout, 5);
    EXPECT_FALSE(ipv6_translates(fw));
    EXPECT_TRUE(ipv6_filters(fw));

    fw.behaviour.firewall = false;  // opens it, as for IPv4
    EXPECT_FALSE(ipv6_filters(fw));
    EXPECT_EQ(ipv6_effective_behaviour(fw).mf.filtering, Dependence::endpoint_independent);
    // Not a bare box in the race: an early packet is for the inside host.
    EXPECT_TRUE(ipv6_effective_behaviour(fw).firewall);
}

TEST(Ipv6Classes, RoutedAndNptv6AreOpenAndNat66IsAsDeclared) {
    for (Ipv6Mode mode : {Ipv6Mode::routed, Ipv6Mode::nptv6}) {
        Ipv6Side s = side(mode, Dependence::address_and_port_dependent);
        EXPECT_EQ(
            ipv6_effective_behaviour(s).mf,
            (MappingFiltering{Dependence::endpoint_independent, Dependence::endpoint_independent}))
            << name_of(mode);
        EXPECT_FALSE(ipv6_filters(s));
    }
    EXPECT_TRUE(ipv6_translates(side(Ipv6Mode::nptv6)));
    EXPECT_FALSE(ipv6_translates(side(Ipv6Mode::routed)));

    Ipv6Side nat66 = side(Ipv6Mode::nat66);
    nat66.behaviour.mf = classic_behaviour(NatType::symmetric);
    nat66.behaviour.allocation = PortAllocation::random;
    nat66.behaviour.firewall = false;
    EXPECT_EQ(ipv6_effective_behaviour(nat66), nat66.behaviour);
    EXPECT_TRUE(ipv6_translates(nat66));
    EXPECT_TRUE(ipv6_filters(nat66));
}

TEST(Ipv6Verdict, AFirewallMatchesWhatAnRfc6092RouterShows) {
    LabNode nat = nat_with(side(Ipv6Mode::firewall, Dependence::address_and_port_dependent));
    auto j = ipv6_verdict_json(nat, "laptop", untranslated(Dependence::address_and_port_dependent),
                               std::nullopt);
    EXPECT_TRUE(j["match"]) << j.dump(2);
    EXPECT_EQ(j["family"], "ipv6");
    EXPECT_EQ(j["ipv6_mode"], "firewall");
    EXPECT_EQ(j["declared"]["translation"], "none");
    EXPECT_EQ(j["declared"]["mapping"], "endpoint-independent");
    EXPECT_EQ(j["declared"]["filtering"], "address-and-port-dependent");
    EXPECT_EQ(j["mapped"], "[2001:db8:1:1::2]:20001");
    // Hairpinning is not the firewall's to have or lack.
    EXPECT_FALSE(j["declared"].contains("hairpinning"));
    EXPECT_FALSE(j["measured"].contains("hairpinning"));
}

TEST(Ipv6Verdict, WhatPassesAFirewallUnfilteredIsAMismatch) {
    LabNode nat = nat_with(side(Ipv6Mode::firewall, Dependence::address_and_port_dependent));
    auto j = ipv6_verdict_json(nat, "laptop", untranslated(Dependence::endpoint_independent),
                               std::nullopt);
    EXPECT_FALSE(j["match"]);
    EXPECT_EQ(j["mismatches"], nlohmann::json::array({"filtering"}));
}

TEST(Ipv6Verdict, TranslationIsJudged) {
    // routed must not translate; nat66 must.
    LabNode routed = nat_with(side(Ipv6Mode::routed));
    NatMeasurement translated = untranslated(Dependence::endpoint_independent);
    translated.behind_nat = true;
    auto j = ipv6_verdict_json(routed, "phone", translated, std::nullopt);
    EXPECT_EQ(j["mismatches"], nlohmann::json::array({"translation"}));

    Ipv6Side nat66 = side(Ipv6Mode::nat66);
    nat66.behaviour.mf = classic_behaviour(NatType::full_cone);
    nat66.behaviour.hairpinning = true;
    j = ipv6_verdict_json(nat_with(nat66), "laptop", translated, std::nullopt);
    EXPECT_TRUE(j["match"]) << j.dump(2);
    EXPECT_EQ(j["declared"]["translation"], "address");
    EXPECT_EQ(j["declared"]["hairpinning"], true);  // nat66 hairpins as declared
}

TEST(Ipv6Verdict, AnOpenSideHasNoLifetimeAndAFirewallHasItsTimeouts) {
    ConformanceObservations c;
    c.allocation = {{30001, 30001}, {30002, 30002}};
    c.race = {ep("2001:db8:1:1::2", 30003), true, ep("2001:db8:1:1::2", 30003), true,
              ep("2001:db8:1:1::2", 30003)};
    c.tcp = {ep("2001:db8:1:1::2", 30004), ep("2001:db8:1:1::2", 30004),
             ep("2001:db8:1:1::2", 30004), true, true};
    c.ownership = {{ep("2001:db8:1:1::2", 1), ep("2001:db8:1:1::2", 1)},
                   {ep("2001:db8:1:1::fffe", 1), ep("2001:db8:1:1::fffe", 1)}};
    auto routed = ipv6_verdict_json(nat_with(side(Ipv6Mode::routed)), "phone",
                                    untranslated(Dependence::endpoint_independent), c);
    EXPECT_TRUE(routed["match"]) << routed.dump(2);
    EXPECT_FALSE(routed["declared"].contains("lifetime"));
    EXPECT_EQ(routed["declared"]["allocation"], "preserve");
    EXPECT_EQ(routed["declared"]["port_ownership"], "exclusive");
    EXPECT_EQ(routed["declared"]["race"], "mapping kept");

    auto fw = ipv6_verdict_json(nat_with(side(Ipv6Mode::firewall)), "laptop",
                                untranslated(Dependence::endpoint_independent), c);
    EXPECT_TRUE(fw["match"]) << fw.dump(2);
    EXPECT_EQ(fw["declared"]["lifetime"], "30 s; stream 120 s");
    EXPECT_EQ(fw["declared"]["tcp_filtering"], "endpoint-independent");
}

TEST(Ipv6Verdict, UnmeasuredSaysWhy) {
    auto j = ipv6_unmeasured_json(nat_with(side(Ipv6Mode::firewall)), "no host", true);
    EXPECT_FALSE(j["match"]);
    EXPECT_EQ(j["error"], "no host");
    EXPECT_EQ(j["declared"]["translation"], "none");
}

}  // namespace
}  // namespace natlab
