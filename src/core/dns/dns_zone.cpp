#include "core/dns/dns_zone.hpp"

#include <set>

namespace natlab {
namespace {

// Short: a lab lives minutes, and a name changed by a create --replace is
// then seen at once by a program that caches (the server itself starts empty).
constexpr const char* kTtl = "5";

}  // namespace

std::string reverse_name(const IpAddress& address) {
    static const char* const kHex = "0123456789abcdef";
    std::string out;
    if (address.family == Family::ipv4) {
        for (int i = 3; i >= 0; --i) out += std::to_string(address.bytes[i]) + ".";
        return out + "in-addr.arpa";
    }
    for (int i = 15; i >= 0; --i) {
        out += kHex[address.bytes[i] & 0xf];
        out += '.';
        out += kHex[address.bytes[i] >> 4];
        out += '.';
    }
    return out + "ip6.arpa";
}

std::string render_zone(const std::string& server, const std::vector<DnsName>& names) {
    // The SOA's last field is how long a resolver keeps an NXDOMAIN.
    std::string out =
        "; The lab's names, written by natlab: every name the lab's DNS server "
        "answers for.\n$TTL " +
        std::string(kTtl) + "\n. IN SOA " + server + ". hostmaster." + server +
        ". 1 3600 600 86400 " + kTtl + "\n. IN NS " + server + ".\n";
    std::string reverse;
    std::set<IpAddress> pointed;
    for (const auto& n : names)
        for (const auto& a : n.addresses) {
            out +=
                n.name + ". IN " + (a.family == Family::ipv4 ? "A" : "AAAA") + " " + a.str() + "\n";
            if (pointed.insert(a).second) reverse += reverse_name(a) + ". IN PTR " + n.name + ".\n";
        }
    return out + reverse;
}

}  // namespace natlab
