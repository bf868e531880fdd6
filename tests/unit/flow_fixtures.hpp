#pragma once
// One outbound UDP flow through a NAT, as conntrack reports it, and the names
// of its ends: what the tests of watch's words and mappings' table start from.
#include "core/conntrack/describe_flow.hpp"

namespace natlab::test {

inline Endpoint ep(const char* address, std::uint16_t port) {
    return {*IpAddress::parse(address), port};
}

// c0 10.0.1.2:41807 -> 100.64.2.100:54321, translated to 100.64.1.100:41807.
inline ConntrackFlow outbound(FlowEvent event) {
    ConntrackFlow f;
    f.event = event;
    f.protocol = "udp";
    f.original = {ep("10.0.1.2", 41807), ep("100.64.2.100", 54321)};
    f.reply = {ep("100.64.2.100", 54321), ep("100.64.1.100", 41807)};
    f.timeout_s = 30;
    f.src_nat = true;
    return f;
}

inline const AddressBook kNames = {{*IpAddress::parse("10.0.1.2"), "c0"},
                                   {*IpAddress::parse("100.64.2.100"), "nat1"}};

}  // namespace natlab::test
