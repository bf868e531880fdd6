#pragma once
// What a NAT node does, in RFC 4787 terms: the vocabulary shared by the
// topology, the rule renderer and the probe that measures it.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/util/cidr_table.hpp"
#include "core/util/enum_names.hpp"
#include "core/util/ip.hpp"

namespace natlab {

// RFC 4787 section 4.1 (mapping) and 5 (filtering) use the same three classes.
enum class Dependence { endpoint_independent, address_dependent, address_and_port_dependent };

constexpr NameTable<Dependence, 3> name_table(Dependence) {
    return {{{Dependence::endpoint_independent, "endpoint-independent"},
             {Dependence::address_dependent, "address-dependent"},
             {Dependence::address_and_port_dependent, "address-and-port-dependent"}}};
}

// The four classic (RFC 3489) names, plus the kernel's plain masquerade.
enum class NatType { full_cone, restricted_cone, port_restricted_cone, symmetric, masquerade };

constexpr NameTable<NatType, 5> name_table(NatType) {
    return {{{NatType::full_cone, "full-cone"},
             {NatType::restricted_cone, "restricted-cone"},
             {NatType::port_restricted_cone, "port-restricted-cone"},
             {NatType::symmetric, "symmetric"},
             {NatType::masquerade, "masquerade"}}};
}

struct MappingFiltering {
    Dependence mapping = Dependence::endpoint_independent;
    Dependence filtering = Dependence::address_and_port_dependent;
    bool operator==(const MappingFiltering&) const = default;
};

// What each classic name means. Masquerade measures as a port-restricted cone
// while its flows live (it keeps no binding of its own).
MappingFiltering classic_behaviour(NatType type);
// The RFC 3489 name: "full cone", "restricted cone", "port-restricted cone"
// or "symmetric" (any destination-dependent mapping).
std::string classic_name(MappingFiltering mf);

enum class Protocol { tcp, udp };
constexpr NameTable<Protocol, 2> name_table(Protocol) {
    return {{{Protocol::tcp, "tcp"}, {Protocol::udp, "udp"}}};
}

// How a new mapping's external port is chosen (RFC 4787 section 4.2.1 calls
// the first "port preservation"; RFC 5128 describes the port prediction that
// sequential allocation allows).
enum class PortAllocation { preserve, sequential, random };
constexpr NameTable<PortAllocation, 3> name_table(PortAllocation) {
    return {{{PortAllocation::preserve, "preserve"},
             {PortAllocation::sequential, "sequential"},
             {PortAllocation::random, "random"}}};
}

struct PortRange {
    int first = 1;
    int last = 65535;
    bool operator==(const PortRange&) const = default;
};

// How a NAT with several external addresses (a pool) spreads one inside
// address's mappings over them (RFC 4787 section 4.1, REQ-2 recommends paired).
enum class Pooling { paired, arbitrary };
constexpr NameTable<Pooling, 2> name_table(Pooling) {
    return {{{Pooling::paired, "paired"}, {Pooling::arbitrary, "arbitrary"}}};
}

// An outbound port that a restricted network lets out: "tcp/443".
struct AllowedPort {
    Protocol protocol = Protocol::tcp;
    int port = 0;
    bool operator==(const AllowedPort&) const = default;
};

// A static port forward: external port on the NAT's address -> inside endpoint.
struct PortForward {
    Protocol protocol = Protocol::udp;
    int external_port = 0;
    IpAddress target;
    int target_port = 0;
    // Written "c0:5000 filtered": the forward admits only what the NAT's
    // filtering admits (under address-dependent filtering the addresses the
    // target has sent to from the port), not anyone.
    bool filtered = false;
    std::string written;  // as the user wrote it, for rule comments: "udp/5000: c0:5000"
    bool operator==(const PortForward&) const = default;
};

// Port-mapping protocols a NAT can offer its inside hosts. PCP (RFC 6887) and
// NAT-PMP (RFC 6886) are one service on UDP 5351: versions of one protocol,
// served together by miniupnpd.
enum class MappingProtocol { upnp, pcp };
constexpr NameTable<MappingProtocol, 2> name_table(MappingProtocol) {
    return {{{MappingProtocol::upnp, "upnp"}, {MappingProtocol::pcp, "pcp"}}};
}

// A NAT node's checked behaviour, everything resolved.
struct NatBehaviour {
    std::optional<NatType> type;  // when declared by a classic name
    MappingFiltering mf;
    bool hairpinning = false;
    PortAllocation allocation = PortAllocation::preserve;
    // What arrives unasked on the outside is dropped before conntrack keeps
    // it, as by a home router's firewall; false models a bare Linux box,
    // whose own stack then answers it and holds its tuple.
    bool firewall = true;
    // Whether the inside networks reach each other through the NAT: a NAT
    // node routes between them, as a Linux router does, unless isolated (as
    // libvirt's NAT networks are from each other).
    bool isolate_inside = false;
    std::optional<PortRange> port_range;
    int udp_unreplied_timeout = 30;     // seconds: conntrack's default
    int udp_established_timeout = 120;  // seconds: conntrack's default
    std::vector<PortForward> forwards;
    std::vector<Cidr> excluded;                   // destinations reached untranslated
    std::vector<CidrTableEntry> exclude_written;  // the table excluded resolves
    // External addresses new mappings are spread over; empty: the outside
    // interface's address only.
    std::vector<IpAddress> pool;
    Pooling pooling = Pooling::paired;
    // When set, new outbound flows to other ports are dropped (a hotel's or
    // a locked-down office's network); ICMP and the rest too.
    std::optional<std::vector<AllowedPort>> allowed_outbound;
    std::string preset;  // the preset the node started from, if any
    // Ports per subscriber (inside address), as deterministic blocks
    // (core/nat/port_blocks); 0: no blocks, any free port.
    int port_block = 0;
    // A static one-to-one NAT: the external address is this inside host's,
    // every port of it both ways, nothing learnt and nothing to expire.
    std::optional<IpAddress> one_to_one;
    // What inside hosts may ask for mappings with; empty: nothing (most NATs).
    std::vector<MappingProtocol> port_mapping;
    bool operator==(const NatBehaviour&) const = default;

    bool plain_masquerade() const { return type == NatType::masquerade; }
    bool pooled() const { return pool.size() > 1; }
    bool port_preservation() const { return allocation == PortAllocation::preserve; }
    // The ports new mappings are given: the port-range, else the kernel's
    // range for ports from 1024 up.
    PortRange allocation_range() const { return port_range.value_or(PortRange{1024, 65535}); }
};

// What a NAT is called where it is shown: its declared type ("full-cone"),
// else the classic name of its classes ("symmetric"); after its preset's
// name when it has one ("cgnat (restricted cone)").
std::string behaviour_name(const NatBehaviour& behaviour);

}  // namespace natlab
