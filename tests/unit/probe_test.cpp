// The probe's pure parts: STUN bytes, the RFC 5780 decision rules, and where
// a probe's client and server go.
#include <gtest/gtest.h>

#include "core/lifecycle/loaded_lab.hpp"
#include "core/probe/classify.hpp"
#include "core/probe/probe_target.hpp"
#include "core/probe/stun.hpp"
#include "test_util.hpp"

namespace natlab {
namespace {

Endpoint ep(const char* ip, std::uint16_t port) {
    return {*IpAddress::parse(ip), port};
}

TEST(Stun, ResponseRoundTripsWithXorMappedAddress) {
    stun::Message m;
    m.type = stun::kBindingSuccess;
    m.transaction = stun::new_transaction();
    m.mapped = ep("100.64.1.2", 23456);
    m.other_address = ep("100.64.1.254", 3479);
    m.response_origin = ep("100.64.1.1", 3478);
    auto bytes = stun::encode(m);
    // Header: type, length, magic cookie; then 8-byte XOR port 23456 ^ 0x2112.
    EXPECT_EQ(bytes[0], 0x01);
    EXPECT_EQ(bytes[1], 0x01);
    EXPECT_EQ(bytes[4], 0x21);
    EXPECT_EQ(bytes.size() % 4, 0u);
    auto back = stun::decode(bytes);
    ASSERT_TRUE(back);
    EXPECT_EQ(back->transaction, m.transaction);
    EXPECT_EQ(back->mapped, m.mapped);
    EXPECT_EQ(back->other_address, m.other_address);
    EXPECT_EQ(back->response_origin, m.response_origin);
}

TEST(Stun, Ipv6XorMappedAddressAsRfc5769Encodes) {
    // RFC 5769 section 2.3: the IPv6 response's XOR-MAPPED-ADDRESS, the
    // address XORed with the cookie and the transaction id.
    const std::vector<std::uint8_t> bytes = {
        0x01, 0x01, 0x00, 0x18, 0x21, 0x12, 0xa4, 0x42, 0xb7, 0xe7, 0xa7, 0x01, 0xbc, 0x34, 0xd6,
        0x86, 0xfa, 0x87, 0xdf, 0xae, 0x00, 0x20, 0x00, 0x14, 0x00, 0x02, 0xa1, 0x47, 0x01, 0x13,
        0xa9, 0xfa, 0xa5, 0xd3, 0xf1, 0x79, 0xbc, 0x25, 0xf4, 0xb5, 0xbe, 0xd2, 0xb9, 0xd9};
    auto m = stun::decode(bytes);
    ASSERT_TRUE(m);
    ASSERT_TRUE(m->mapped);
    EXPECT_EQ(*m->mapped, ep("2001:db8:1234:5678:11:2233:4455:6677", 32853));
    EXPECT_EQ(m->mapped->ip.family, Family::ipv6);
    // Encoding the same gives the same attribute after MAPPED-ADDRESS (4 + 20 bytes).
    stun::Message back;
    back.type = stun::kBindingSuccess;
    back.transaction = m->transaction;
    back.mapped = m->mapped;
    auto encoded = stun::encode(back);
    ASSERT_EQ(encoded.size(), 20u + 24u + 24u);
    EXPECT_EQ(std::vector<std::uint8_t>(encoded.begin() + 44, encoded.end()),
              std::vector<std::uint8_t>(bytes.begin() + 20, bytes.end()));
}

TEST(Stun, Ipv6AddressesRoundTripInEveryAttribute) {
    stun::Message m;
    m.type = stun::kBindingSuccess;
    m.transaction = stun::new_transaction();
    m.mapped = ep("2001:db8:1:1::2", 20001);
    m.other_address = ep("2001:db8:2::ffff", 3479);
    m.response_origin = ep("2001:db8:2::1", 3478);
    auto back = stun::decode(stun::encode(m));
    ASSERT_TRUE(back);
    EXPECT_EQ(back->mapped, m.mapped);
    EXPECT_EQ(back->other_address, m.other_address);
    EXPECT_EQ(back->response_origin, m.response_origin);
    // An RFC 3489 client (no cookie) gets the plain MAPPED-ADDRESS, IPv6 too.
    m.transaction.fill(9);
    auto plain = stun::encode(m);
    EXPECT_EQ(plain[20 + 3], 20);  // the attribute's length: family, port, 16 bytes
    EXPECT_EQ(plain[20 + 5], 0x02);
    EXPECT_EQ(stun::decode(plain)->mapped, m.mapped);
}

TEST(Stun, AnAddressOfTheWrongSizeIsNoAddress) {
    stun::Message m;
    m.type = stun::kBindingSuccess;
    m.transaction = stun::new_transaction();
    m.mapped = ep("2001:db8::1", 1);
    auto bytes = stun::encode(m);
    bytes[20 + 5] = 0x01;  // MAPPED-ADDRESS claims IPv4 but holds 16 bytes
    bytes[44 + 5] = 0x01;  // and so does XOR-MAPPED-ADDRESS
    auto back = stun::decode(bytes);
    ASSERT_TRUE(back);
    EXPECT_FALSE(back->mapped);
}

TEST(Stun, ChangeRequestFlags) {
    stun::Message m;
    m.transaction = stun::new_transaction();
    m.change_port = true;
    auto back = stun::decode(stun::encode(m));
    ASSERT_TRUE(back);
    EXPECT_FALSE(back->change_ip);
    EXPECT_TRUE(back->change_port);
}

TEST(Stun, Rfc3489ClientsGetPlainAddresses) {
    stun::Message m;
    m.type = stun::kBindingSuccess;
    m.transaction.fill(7);  // no magic cookie
    m.mapped = ep("10.0.0.1", 1);
    m.other_address = ep("10.0.0.2", 2);
    auto bytes = stun::encode(m);
    // MAPPED-ADDRESS (0x0001) and CHANGED-ADDRESS (0x0005), no XOR variant.
    EXPECT_EQ(bytes.size(), 20u + 12u + 12u);
    EXPECT_EQ(bytes[20 + 1], 0x01);
    EXPECT_EQ(bytes[32 + 1], 0x05);
    auto back = stun::decode(bytes);
    ASSERT_TRUE(back);
    EXPECT_EQ(back->mapped, m.mapped);
}

TEST(Stun, RejectsWhatIsNotStun) {
    std::vector<std::uint8_t> short_packet(10, 0);
    EXPECT_FALSE(stun::decode(short_packet));
    auto bytes = stun::encode(stun::Message{});
    bytes[3] = 40;  // claims attributes that are not there
    EXPECT_FALSE(stun::decode(bytes));
    bytes = stun::encode(stun::Message{});
    bytes[1] = 0x11;  // an allocate request, not a binding
    EXPECT_FALSE(stun::decode(bytes));
}

ProbeObservations seen_behind_nat() {
    ProbeObservations s;
    s.local = ep("10.0.1.2", 20001);
    s.mapped_primary = ep("100.64.1.2", 20001);
    s.mapped_alt_ip = s.mapped_primary;
    s.mapped_alt_both = s.mapped_primary;
    s.filter_local = ep("10.0.1.2", 20002);
    s.filter_mapped = ep("100.64.1.2", 20002);
    return s;
}

TEST(Classify, MappingClasses) {
    auto s = seen_behind_nat();
    EXPECT_EQ(classify(s).mf.mapping, Dependence::endpoint_independent);
    s.mapped_alt_ip = ep("100.64.1.2", 40000);
    s.mapped_alt_both = ep("100.64.1.2", 40000);
    EXPECT_EQ(classify(s).mf.mapping, Dependence::address_dependent);
    s.mapped_alt_both = ep("100.64.1.2", 40001);
    EXPECT_EQ(classify(s).mf.mapping, Dependence::address_and_port_dependent);
}

TEST(Classify, FilteringClassesAndClassicNames) {
    auto s = seen_behind_nat();
    EXPECT_EQ(classify(s).mf.filtering, Dependence::address_and_port_dependent);
    EXPECT_EQ(classic_name(classify(s).mf), "port-restricted cone");
    s.answer_from_other_port = true;
    EXPECT_EQ(classify(s).mf.filtering, Dependence::address_dependent);
    EXPECT_EQ(classic_name(classify(s).mf), "restricted cone");
    s.answer_from_other_address = true;
    EXPECT_EQ(classify(s).mf.filtering, Dependence::endpoint_independent);
    EXPECT_EQ(classic_name(classify(s).mf), "full cone");
    s.mapped_alt_ip = s.mapped_alt_both = ep("100.64.1.2", 1);
    EXPECT_EQ(classic_name(classify(s).mf), "symmetric");
}

TEST(Classify, PortPreservationNeedsBothSockets) {
    auto s = seen_behind_nat();
    EXPECT_TRUE(classify(s).port_preservation);
    s.filter_mapped.port = 31337;
    EXPECT_FALSE(classify(s).port_preservation);
}

TEST(Classify, NoNatAndNoAlternateAnswer) {
    auto s = seen_behind_nat();
    s.mapped_primary = s.local;
    s.mapped_alt_ip = s.mapped_alt_both = s.local;
    EXPECT_FALSE(classify(s).behind_nat);
    s.mapped_alt_both.reset();
    EXPECT_THROW(classify(s), std::runtime_error);
}

TEST(ProbeTarget, ServerIsTheNatsGatewayWithASpareAddress) {
    Lab lab = load_lab_file(test::source_path("labs/nat-types.yaml")).lab;
    ProbeTarget t = probe_target(lab, "c-full", "");
    EXPECT_EQ(t.nat, "nat-full");
    EXPECT_EQ(t.server_node, "internet");
    EXPECT_EQ(t.server_ifname, "full");
    EXPECT_EQ(t.primary.str(), "100.64.1.1/24");
    EXPECT_EQ(t.alternate.str(), "100.64.1.254/24");
    EXPECT_EQ(t.host_ifname, "eth0");  // verify's second inside host goes there
    EXPECT_EQ(t.host_spare->str(), "10.0.1.254/24");
    EXPECT_EQ(probe_target(lab, "c-full", "server").primary.str(), "203.0.113.2/24");
    EXPECT_EQ(host_behind(lab, "nat-sym"), "c-sym");
    EXPECT_EQ(host_behind(lab, "internet"), "server");
    EXPECT_EQ(host_behind(lab, "c-full"), std::nullopt);
}

TEST(ProbeTarget, OverIpv6TheRoutesAndAddressesAreTheIpv6Ones) {
    Lab lab = load_lab_text(
                  "name: t\nnodes:\n"
                  "  laptop: {routes: {default: home}}\n"
                  "  home: {kind: nat, outside: wan, routes: {default: internet}}\n"
                  "  internet: {kind: router}\n"
                  "  v4only: {routes: {default: internet}}\n"
                  "links:\n"
                  "  - {endpoints: [home:lan, laptop:eth0], subnet: [10.0.1.0/24, "
                  "\"2001:db8:1:1::/64\"]}\n"
                  "  - {endpoints: [internet:home, home:wan], subnet: [100.64.1.0/24, "
                  "\"2001:db8:ff::/64\"]}\n"
                  "  - {endpoints: [internet:v4, v4only:eth0], subnet: 203.0.113.0/24}\n",
                  "t.yaml", "")
                  .lab;
    ProbeTarget t = probe_target(lab, "laptop", "", Family::ipv6);
    EXPECT_EQ(t.family, Family::ipv6);
    EXPECT_EQ(t.nat, "home");
    EXPECT_EQ(t.server_node, "internet");
    EXPECT_EQ(t.primary.str(), "2001:db8:ff::1/64");
    // The highest address of the /64, as the highest host of an IPv4 subnet.
    EXPECT_EQ(t.alternate.str(), "2001:db8:ff:0:ffff:ffff:ffff:fffe/64");
    EXPECT_EQ(t.host_spare->str(), "2001:db8:1:1:ffff:ffff:ffff:fffe/64");
    EXPECT_EQ(probe_target(lab, "laptop", "").primary.str(), "100.64.1.1/24");
    EXPECT_EQ(host_behind(lab, "home", Family::ipv6), "laptop");
    EXPECT_EQ(host_behind(lab, "internet", Family::ipv6), std::nullopt);  // v4only has no IPv6
    EXPECT_EQ(test::refusal([&] { probe_target(lab, "laptop", "v4only", Family::ipv6); }),
              "natlab: probe server 'v4only' has no IPv6 address; choose a node on the public "
              "side that has one");
    EXPECT_EQ(test::refusal([&] { probe_target(lab, "v4only", "", Family::ipv6); }),
              "natlab: 'v4only' is not directly behind a NAT (its IPv6 default route is missing); "
              "probe from a host whose default route points at a nat node");
}

TEST(ProbeTarget, ClearErrors) {
    Lab lab = load_lab_file(test::source_path("labs/nat-types.yaml")).lab;
    auto message = [&](const std::string& host, const std::string& server) {
        try {
            probe_target(lab, host, server);
        } catch (const InvalidInput& e) {
            return std::string(e.what());
        }
        return std::string("accepted");
    };
    EXPECT_EQ(message("server", ""),
              "natlab: 'server' is not directly behind a NAT (its IPv4 default route leads to "
              "router 'internet'); probe from a host whose default route points at a nat node");
    EXPECT_EQ(message("c-ful", ""),
              "natlab: lab nat-types has no node 'c-ful' to use as the probe client; its nodes are "
              "internet, server, nat-full, nat-restricted, nat-port, nat-sym, c-full, c-restr, "
              "c-port, c-sym; did you mean 'c-full'?");
    EXPECT_EQ(message("c-full", "nowhere"),
              "natlab: lab nat-types has no node 'nowhere' to use as the probe server; its nodes "
              "are internet, server, nat-full, nat-restricted, nat-port, nat-sym, c-full, "
              "c-restr, c-port, c-sym");
}

}  // namespace
}  // namespace natlab
