#pragma once
// One conntrack entry as the kernel reports it (in a dump or an event), as
// plain data: the watcher and the mapping table read these, the kernel
// adapter makes them.
#include <cstdint>
#include <optional>
#include <string>

#include "core/util/enum_names.hpp"
#include "core/util/ip.hpp"

namespace natlab {

enum class FlowEvent { none, created, updated, destroyed };  // none: from a dump
constexpr NameTable<FlowEvent, 4> name_table(FlowEvent) {
    return {{{FlowEvent::none, ""},
             {FlowEvent::created, "NEW"},
             {FlowEvent::updated, "UPDATE"},
             {FlowEvent::destroyed, "DESTROY"}}};
}

struct FlowTuple {
    Endpoint src, dst;
    bool operator==(const FlowTuple&) const = default;
};

// What a flow carried one way, when the namespace counts (nf_conntrack_acct).
struct FlowCount {
    std::uint64_t packets = 0, bytes = 0;
    bool operator==(const FlowCount&) const = default;
};

struct ConntrackFlow {
    FlowEvent event = FlowEvent::none;
    std::string protocol;  // "udp", "tcp", "icmp", ...
    FlowTuple original;    // as the first packet went
    FlowTuple reply;       // what an answer must look like (after translation)
    std::optional<int> timeout_s;
    bool replied = false;      // a packet went the reply way (not UNREPLIED)
    bool assured = false;      // ASSURED: kept under table pressure, longer timeout
    bool src_nat = false;      // the source was translated (an outbound mapping)
    bool dst_nat = false;      // the destination was translated (inbound through a mapping)
    std::string tcp_state;     // "ESTABLISHED" ... for TCP
    FlowCount sent, answered;  // the original and the reply direction
};

}  // namespace natlab
