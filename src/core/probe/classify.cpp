#include "core/probe/classify.hpp"

#include <stdexcept>

namespace natlab {

Dependence mapping_from(const Endpoint& primary, const Endpoint& alt_ip, const Endpoint& alt_both) {
    // The same mapping for another address -> independent; the same for
    // another port of that address -> address-dependent; else both matter.
    if (alt_ip == primary) return Dependence::endpoint_independent;
    if (alt_both == alt_ip) return Dependence::address_dependent;
    return Dependence::address_and_port_dependent;
}

Dependence filtering_from(bool from_other_address, bool from_other_port) {
    // In from an address never sent to -> independent; from an unsent port
    // of a sent-to address -> address-dependent; else both matter.
    if (from_other_address) return Dependence::endpoint_independent;
    if (from_other_port) return Dependence::address_dependent;
    return Dependence::address_and_port_dependent;
}

NatMeasurement classify(const ProbeObservations& seen) {
    if (!seen.mapped_alt_ip || !seen.mapped_alt_both) {
        throw std::runtime_error(
            "the probe server's alternate address did not answer, so mapping cannot be "
            "measured; check that the server node is reachable from the NAT on both addresses");
    }
    NatMeasurement m;
    m.mapped = seen.mapped_primary;
    m.behind_nat = seen.mapped_primary.ip != seen.local.ip;
    m.mf.mapping = mapping_from(seen.mapped_primary, *seen.mapped_alt_ip, *seen.mapped_alt_both);
    m.mf.filtering = filtering_from(seen.answer_from_other_address, seen.answer_from_other_port);
    m.hairpinning = seen.hairpin_arrived;
    m.port_preservation = seen.mapped_primary.port == seen.local.port &&
                          seen.filter_mapped.port == seen.filter_local.port;
    return m;
}

}  // namespace natlab
