#pragma once
// From what a probe client saw to RFC 4787 behaviour classes: the decision
// rules of RFC 5780 sections 4.3 to 4.5. Pure, so each rule is unit-tested.
#include <optional>
#include <string>

#include "core/nat/behaviour.hpp"
#include "core/probe/stun.hpp"

namespace natlab {

struct ProbeObservations {
    // Mapping: one socket, three destinations.
    Endpoint local;                           // the client socket's address
    Endpoint mapped_primary;                  // answer to primary address, primary port
    std::optional<Endpoint> mapped_alt_ip;    // to alternate address, primary port
    std::optional<Endpoint> mapped_alt_both;  // to alternate address, alternate port
    // Filtering: a fresh socket, which has only sent to the primary endpoint.
    Endpoint filter_local;
    Endpoint filter_mapped;
    bool answer_from_other_address = false;  // CHANGE-REQUEST ip+port came through
    bool answer_from_other_port = false;     // CHANGE-REQUEST port came through
    // Hairpinning: a second inside socket sent to the first one's mapping.
    bool hairpin_arrived = false;
};

struct NatMeasurement {
    bool behind_nat = true;  // false: the mapped address is the client's own
    MappingFiltering mf;
    bool hairpinning = false;
    bool port_preservation = false;
    Endpoint mapped;
};

// RFC 5780 4.3: the mapping seen from one local endpoint towards the primary
// endpoint, the alternate address (primary port) and the alternate endpoint.
Dependence mapping_from(const Endpoint& primary, const Endpoint& alt_ip, const Endpoint& alt_both);
// RFC 5780 4.4: what came in unasked from another address, from another port.
Dependence filtering_from(bool from_other_address, bool from_other_port);

// Throws std::runtime_error when the observations cannot be classified
// (e.g. the alternate address never answered).
NatMeasurement classify(const ProbeObservations& seen);

}  // namespace natlab
