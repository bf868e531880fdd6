#include "core/nat/behaviour.hpp"

namespace natlab {

namespace {

// Enums whose values are listed, in order, by a names() table.
template <class Enum>
std::optional<Enum> parse_named(const std::vector<std::string>& names, std::string_view text) {
    for (std::size_t i = 0; i < names.size(); ++i)
        if (names[i] == text) return static_cast<Enum>(i);
    return std::nullopt;
}

}  // namespace

const std::vector<std::string>& dependence_names() {
    static const std::vector<std::string> names = {"endpoint-independent", "address-dependent",
                                                   "address-and-port-dependent"};
    return names;
}

const char* dependence_name(Dependence d) {
    return dependence_names()[static_cast<std::size_t>(d)].c_str();
}

std::optional<Dependence> parse_dependence(std::string_view text) {
    return parse_named<Dependence>(dependence_names(), text);
}

const std::vector<std::string>& nat_type_names() {
    static const std::vector<std::string> names = {
        "full-cone", "restricted-cone", "port-restricted-cone", "symmetric", "masquerade"};
    return names;
}

const char* nat_type_name(NatType type) {
    return nat_type_names()[static_cast<std::size_t>(type)].c_str();
}

std::optional<NatType> parse_nat_type(std::string_view text) {
    return parse_named<NatType>(nat_type_names(), text);
}

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

const char* protocol_name(Protocol p) {
    return p == Protocol::tcp ? "tcp" : "udp";
}

}  // namespace natlab
