#include "core/nat/behaviour.hpp"

namespace natlab {

MappingFiltering classic_behaviour(NatType type) {
    using enum Dependence;
    switch (type) {
        case NatType::full_cone:
            return {endpoint_independent, endpoint_independent};
        case NatType::restricted_cone:
            return {endpoint_independent, address_dependent};
        case NatType::port_restricted_cone:
        case NatType::masquerade:
            return {endpoint_independent, address_and_port_dependent};
        case NatType::symmetric:
            return {address_and_port_dependent, address_and_port_dependent};
    }
    return {};
}

std::string classic_name(MappingFiltering mf) {
    // RFC 3489 calls every NAT whose mapping depends on the destination symmetric.
    if (mf.mapping != Dependence::endpoint_independent) return "symmetric";
    switch (mf.filtering) {
        case Dependence::endpoint_independent:
            return "full cone";
        case Dependence::address_dependent:
            return "restricted cone";
        case Dependence::address_and_port_dependent:
            return "port-restricted cone";
    }
    return "?";
}

std::string behaviour_name(const NatBehaviour& behaviour) {
    std::string name = behaviour.one_to_one ? "one-to-one"
                       : behaviour.type     ? name_of(*behaviour.type)
                                            : classic_name(behaviour.mf);
    return behaviour.preset.empty() ? name : behaviour.preset + " (" + name + ")";
}

}  // namespace natlab
