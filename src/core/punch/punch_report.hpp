#pragma once
// A hole-punching attempt told to a person: what the rendezvous saw, what got
// through each way, and why not when it did not. Pure.
#include <nlohmann/json.hpp>
#include <string>

#include "core/punch/punch_outcome.hpp"
#include "core/punch/punch_theory.hpp"
#include "core/topology/lab.hpp"

namespace natlab {

struct PunchNat {
    std::string node;            // the NAT in front of the host
    std::string type;            // "full-cone", ... or RFC 4787 words
    MappingFiltering behaviour;  // as declared
    bool firewall = true;
    std::string blocks_udp;  // why the NAT lets no UDP out, or empty
};

struct PunchReport {
    bool a_to_b = false, b_to_a = false;
    PunchExpectation expected = PunchExpectation::fails;  // punch_theory's, for these NATs
    std::string why_not_a_to_b, why_not_b_to_a;
    bool works() const { return a_to_b && b_to_a; }
    // What was measured is what theory allows (either, for a race).
    bool agrees() const {
        return expected == PunchExpectation::race ||
               works() == (expected == PunchExpectation::works);
    }
};

// One attempt with what its report needs: the NATs and the verdict.
struct PunchRun {
    PunchOutcome outcome;
    PunchNat nat_a, nat_b;
    PunchReport report;
};

// The NAT in front of `host` (its default gateway of `family`), as punch
// reports name it; over IPv6 its IPv6 side (core/nat/ipv6_classes). Throws
// InvalidInput when that NAT has no IPv6 side.
PunchNat punch_nat(const Lab& lab, const std::string& host, Family family = Family::ipv4);

PunchReport judge_punch(const PunchOutcome& outcome, const PunchNat& nat_a, const PunchNat& nat_b);
std::string render_punch(const PunchOutcome& outcome, const PunchNat& nat_a, const PunchNat& nat_b,
                         const PunchReport& report);
nlohmann::json punch_json(const PunchOutcome& outcome, const PunchNat& nat_a, const PunchNat& nat_b,
                          const PunchReport& report);

}  // namespace natlab
