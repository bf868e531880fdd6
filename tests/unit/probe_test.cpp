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
