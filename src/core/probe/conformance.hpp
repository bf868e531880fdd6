#pragma once
// natlab verify beyond one STUN exchange: what real traffic meets. Each check
// is observed by the edge (edge/probe/observe_conformance) as plain data and
// judged here, so every rule is unit-tested without root.
#include <optional>
#include <string>
#include <vector>

#include "core/nat/behaviour.hpp"
#include "core/util/ip.hpp"

namespace natlab {

// Many inside endpoints (from two inside addresses) each sent to one server
// endpoint; `seen` is the source the server saw, none when nothing came
// (the NAT refused a mapping: its range is full).
struct OwnershipSample {
    Endpoint inside;
    std::optional<Endpoint> seen;
};
struct Ownership {
    int endpoints = 0;
    int mapped = 0;
    int shared = 0;  // external endpoints handed to more than one inside endpoint
};
Ownership judge_ownership(const std::vector<OwnershipSample>& samples);
// The same samples grouped by inside address: paired when each address's
// mappings all landed on one external address, arbitrary when any spread
// over two or more; nothing when no address had two mappings.
std::optional<Pooling> judge_pooling(const std::vector<OwnershipSample>& samples);

// New mappings made one after another: the inside port and the external
// port the server saw, in order.
struct AllocationSample {
    int inside_port = 0;
    int external_port = 0;
};
// "preserve" when every external port is the inside one, "sequential" when
// each is the one after its predecessor (wrapping inside `range`), else "random".
PortAllocation judge_allocation(const std::vector<AllocationSample>& series, PortRange range);

// The hole-punching race: the inside socket has a mapping (to the server);
// a peer it never sent to sends to that mapping first, then the inside
// socket sends to the peer, the peer answers, and the socket asks the server
// again.
struct RaceObservations {
    Endpoint mapped_before;                // what the server saw first
    bool early_arrived = false;            // the peer's early packet reached the socket
    std::optional<Endpoint> peer_saw;      // the source of the socket's packet at the peer
    bool answer_arrived = false;           // the peer's answer to that source came in
    std::optional<Endpoint> mapped_after;  // what the server saw afterwards
};
// The early packet had no effect: it reached the socket only if the
// filtering lets anyone in (else it was dropped), the later flow got through,
// the mapping to the server is unchanged and, under endpoint-independent
// mapping, the peer was reached from that very mapping. Judged against the
// classes measured.
bool race_kept_mapping(const RaceObservations& seen, const MappingFiltering& measured);
// What theory says of `behaviour`: only a NAT without the firewall lets the
// early packet reach its own stack, which then holds the tuple, so an
// endpoint-independent mapping the filtering would not admit it to is lost.
bool race_keeps_mapping(const NatBehaviour& behaviour);

// verify waits for lifetimes of up to this many seconds; longer ones are not
// measured. It asks a second either side of each (core/probe/lifetime_plan),
// so a lifetime of a second or less is not measured either.
inline constexpr int kLongestLifetimeWaited = 10;
inline constexpr int kLifetimeMargin = 1;

// Whether the server could still reach a binding a margin before and a
// margin after its lifetime.
struct LifetimeSample {
    int declared_s = 0;
    bool alive_before = false;
    bool alive_after = false;
};
// The binding lifetimes: bindings answered once (a STUN exchange), and
// streams; each asked by the server sending to it unasked.
struct LifetimeObservations {
    bool waited = false;  // false: too long to wait for, not measured
    LifetimeSample answered_once, stream;
};
// Whether both lifetimes of `behaviour` (unreplied, established) can be
// waited for: over kLifetimeMargin and at most kLongestLifetimeWaited seconds.
bool lifetime_waitable(const NatBehaviour& behaviour);
// "3 s; stream 5 s" (answered once; a stream); a part that is off reads
// "under 2 s" or "over 4 s".
std::string judge_lifetime(const LifetimeObservations& seen);
std::string declared_lifetime(const NatBehaviour& behaviour);

// TCP classified by RFC 5780's rules, as UDP is (core/probe/classify).
struct TcpObservations {
    std::optional<Endpoint> mapped_primary, mapped_alt_ip, mapped_alt_both;
    bool inbound_from_other_address = false;  // a connect from an address never contacted
    bool inbound_from_other_port = false;     // from another port of the contacted address
};

struct ConformanceObservations {
    std::vector<AllocationSample> allocation;
    RaceObservations race;
    TcpObservations tcp;
    LifetimeObservations lifetime;
    std::vector<OwnershipSample> ownership;
};

}  // namespace natlab
