#pragma once
// natlab verify's judgement of one NAT node: what its topology declares
// against what was measured, property by property. Pure.
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/probe/classify.hpp"
#include "core/probe/conformance.hpp"
#include "core/topology/lab.hpp"

namespace natlab {

// translation (the IPv6 side's alone), mapping, filtering, hairpinning,
// port_preservation (the STUN probe's, all
// that `verify --quick` measures), then the conformance checks: allocation,
// port_ownership, pooling (only NATs with a pool have it: declared and
// measured lack the key on the others), race, tcp_mapping, tcp_filtering,
// lifetime. In this order.
std::vector<std::string> verified_properties(bool quick);

// {"nat", "type", "declared", "host", "measured", "mismatches", "match"}, and
// with the conformance checks "ownership": {"endpoints", "mapped", "shared"}
// and "race_seen": {"mapped_before", "early_arrived", "peer_saw",
// "answer_arrived", "mapped_after"}.
// A property measured as null (not measured) is no mismatch.
nlohmann::json verdict_json(const LabNode& nat, const std::string& host,
                            const NatMeasurement& measured,
                            const std::optional<ConformanceObservations>& conformance);
// A NAT that could not be probed, and why: {"nat", "type", "declared", "error", "match": false}.
nlohmann::json unmeasured_json(const LabNode& nat, const std::string& why, bool quick);

// The same for the NAT's IPv6 side (nat.nat->ipv6 set), declared as
// core/nat/ipv6_classes says: also "family": "ipv6", "ipv6_mode", "mapped"
// (the address the server saw), and the property "translation" ("none" or
// "address"); only the properties its mode has are declared and judged.
nlohmann::json ipv6_verdict_json(const LabNode& nat, const std::string& host,
                                 const NatMeasurement& measured,
                                 const std::optional<ConformanceObservations>& conformance);
nlohmann::json ipv6_unmeasured_json(const LabNode& nat, const std::string& why, bool quick);

}  // namespace natlab
