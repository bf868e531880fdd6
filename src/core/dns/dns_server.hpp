#pragma once
// The lab's DNS server as validated: which node runs it, the DNS64 prefix
// and the names the user declares, each a fully-qualified name in lower
// case without the final dot.
#include <optional>
#include <string>
#include <vector>

#include "core/util/ip.hpp"

namespace natlab {

struct DnsName {
    std::string name;  // "www.example.com", "c0.two-nat"
    std::vector<IpAddress> addresses;
    bool operator==(const DnsName&) const = default;
};

struct LabDns {
    std::string node;
    std::optional<Cidr> dns64;
    std::vector<DnsName> records;
    bool operator==(const LabDns&) const = default;
};

}  // namespace natlab
