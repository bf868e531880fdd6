#pragma once
// The zone the lab's DNS server answers from: one zone for the root ("."),
// so that it holds the lab's names (NODE.LAB) and the names a user declares
// (www.example.com) alike, and every other name is answered NXDOMAIN at once
// from the zone's own SOA: a lab has no internet to ask. Pure.
//
// Reverse names (in-addr.arpa, ip6.arpa) point each address at the first
// name that holds it, so 'ping' names the replies.
#include <string>
#include <vector>

#include "core/dns/dns_server.hpp"

namespace natlab {

// "2.1.0.10.in-addr.arpa", "1.0.0.0...8.b.d.0.1.0.0.2.ip6.arpa"
std::string reverse_name(const IpAddress& address);

// The zone file's text. `server` is the server's own name (the SOA's and
// NS's), `names` every name with its addresses, in order of precedence for
// the reverse names.
std::string render_zone(const std::string& server, const std::vector<DnsName>& names);

}  // namespace natlab
