#include "core/probe/classify.hpp"

#include <stdexcept>

namespace natlab {

NatMeasurement classify(const ProbeObservations& seen) {
    if (!seen.mapped_alt_ip || !seen.mapped_alt_both) {
        throw std::runtime_error(
            "the probe server's alternate address did not answer, so mapping cannot be "
            "measured; check that the server node is reachable from the NAT on both addresses");
    }
    NatMeasurement m;
    m.mapped = seen.mapped_primary;
    m.behind_nat = seen.mapped_primary.ip != seen.local.ip;
    using enum Dependence;
    // 4.3: same mapping for another address -> independent; the same for
    // another port of that address -> address-dependent; else both matter.
    if (*seen.mapped_alt_ip == seen.mapped_primary)
        m.mf.mapping = endpoint_independent;
    else if (*seen.mapped_alt_both == *seen.mapped_alt_ip)
        m.mf.mapping = address_dependent;
    else
        m.mf.mapping = address_and_port_dependent;
    // 4.4: an answer from an address never sent to -> independent; from an
    // unsent port of a sent-to address -> address-dependent; else both matter.
    if (seen.answer_from_other_address)
        m.mf.filtering = endpoint_independent;
    else if (seen.answer_from_other_port)
        m.mf.filtering = address_dependent;
    else
        m.mf.filtering = address_and_port_dependent;
    m.hairpinning = seen.hairpin_arrived;
    m.port_preservation = seen.mapped_primary.port == seen.local.port &&
                          seen.filter_mapped.port == seen.filter_local.port;
    return m;
}

}  // namespace natlab
