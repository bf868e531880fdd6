#include "core/hostnames/lab_resolver.hpp"

#include <algorithm>

#include "core/hostnames/hosts_file.hpp"
#include "core/hostnames/reach.hpp"

namespace natlab {
namespace {

constexpr const char* kIpv4OnlyArpa = "ipv4only.arpa";

// glibc's MAXNS: resolv.conf's servers after the third are not asked.
constexpr std::size_t kMostServers = 3;

bool on_a_shared_subnet(const LabNode& node, const IpAddress& address) {
    for (const auto& i : node.interfaces)
        for (const auto& a : i.addresses)
            if (a.network().contains(address)) return true;
    return false;
}

}  // namespace

std::vector<DnsName> lab_dns_names(const Lab& lab) {
    std::vector<DnsName> out;
    for (const auto& node : lab.nodes) {
        if (node.kind == NodeKind::switch_) continue;
        std::vector<IpAddress> addresses = name_addresses(node);
        for (const auto& name : node_names(lab, node)) {
            // NODE is NODE.LAB through resolv.conf's 'search LAB'.
            if (name == node.name) continue;
            out.push_back(
                {name.find('.') == std::string::npos ? name + "." + lab.name : name, addresses});
        }
    }
    if (lab.dns) out.insert(out.end(), lab.dns->records.begin(), lab.dns->records.end());
    // RFC 7050: software that looks for the NAT64 prefix (a CLAT) asks for
    // the AAAA of ipv4only.arpa, whose A records are these two; DNS64 then
    // answers them under the prefix. Router advertisements cannot carry it
    // (PREF64) with Debian 12's radvd, so this is how it is found.
    const bool declared =
        lab.dns && std::any_of(lab.dns->records.begin(), lab.dns->records.end(),
                               [](const DnsName& n) { return n.name == kIpv4OnlyArpa; });
    if (lab.dns && lab.dns->dns64 && !declared)
        out.push_back(
            {kIpv4OnlyArpa, {*IpAddress::parse("192.0.0.170"), *IpAddress::parse("192.0.0.171")}});
    return out;
}

std::vector<IpAddress> resolver_addresses(const Lab& lab, const LabNode& node) {
    std::vector<IpAddress> out;
    const LabNode* server = lab.dns ? lab.find_node(lab.dns->node) : nullptr;
    if (!server) return out;
    for (const auto& address : name_addresses(*server))
        if (reaches(lab, node, address)) out.push_back(address);
    std::stable_partition(out.begin(), out.end(),
                          [&](const IpAddress& a) { return on_a_shared_subnet(node, a); });
    if (out.size() > kMostServers) out.resize(kMostServers);
    return out;
}

}  // namespace natlab
