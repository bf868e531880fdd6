#pragma once
// A node's 'dns:' key as written: the lab's DNS server runs on that node.
// "dns: true", or a mapping with a DNS64 prefix and names the user declares:
//
//   dns: {dns64: 64:ff9b::/96, records: {www.example.com: [203.0.113.10, 2001:db8::10]}}
#include <optional>
#include <vector>

#include "core/input/marked.hpp"
#include "core/util/ip.hpp"

namespace natlab {

// A name the user declares, and the addresses it resolves to (A and AAAA).
struct DnsRecordSpec {
    Marked<std::string> name;
    std::vector<Marked<IpAddress>> addresses;
};

struct DnsSpec {
    SourcePos pos;                      // where 'dns:' is written
    std::optional<Marked<Cidr>> dns64;  // a /96 under which AAAA are synthesized
    std::vector<DnsRecordSpec> records;
};

}  // namespace natlab
