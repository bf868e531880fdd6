#pragma once
// Reads a node's 'dns:' key (dns_spec.hpp), checking each value where it is
// written: the prefix a /96 of IPv6, each record a domain name with
// addresses.
#include "core/dns/dns_spec.hpp"
#include "core/input/yaml_reader.hpp"

namespace natlab {

// `section` is the value of 'dns:': true, false (nullopt) or a mapping.
std::optional<DnsSpec> load_dns(YamlReader& reader, const YAML::Node& section);

// Why `name` is not a domain name a record can have, or "": labels of
// letters, digits and '-' (not at either end), at most 63 bytes each and
// 253 in all, at least two of them.
std::string domain_name_problem(std::string_view name);

}  // namespace natlab
