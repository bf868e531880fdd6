#include "core/topology/router_adverts.hpp"

#include <algorithm>

#include "core/topology/node_interface.hpp"
#include "core/util/text.hpp"

namespace natlab {

namespace {

std::vector<Cidr> ipv6_prefixes(const Addressing& addressing, const InterfaceKey& key) {
    std::vector<Cidr> out;
    auto it = addressing.addresses.find(key);
    if (it == addressing.addresses.end()) return out;
    for (const auto& a : it->second)
        if (a.address.family == Family::ipv6 && !a.address.is_ipv6_link_local() &&
            std::find(out.begin(), out.end(), a.network()) == out.end())
            out.push_back(a.network());
    return out;
}

}  // namespace

RouterAdvertPlan check_router_adverts(const Topology& topo, const Addressing& addressing,
                                      Diagnostics& diag) {
    RouterAdvertPlan plan;
    // Segment -> the interface advertising on it.
    std::map<int, InterfaceKey> advertiser;
    for (const auto& node : topo.nodes)
        for (const auto& ifname : node.ra) {
            InterfaceKey key{node.name.value, ifname.value};
            auto segment = addressing.segment_of.find(key);
            if (segment == addressing.segment_of.end()) {
                diag.error(ifname.pos, "'ra' of " + quote(node.name.value) + " names " +
                                           quote(ifname.value) +
                                           ", which is not one of its interfaces; name an "
                                           "interface its links give it");
                continue;
            }
            std::vector<Cidr> prefixes = ipv6_prefixes(addressing, key);
            if (prefixes.empty()) {
                diag.error(ifname.pos, "'ra' of " + quote(node.name.value) + " names " +
                                           quote(ifname.value) +
                                           ", which has no IPv6 subnet to advertise; give its "
                                           "link an IPv6 subnet such as 2001:db8:1:1::/64");
                continue;
            }
            if (auto bad = std::find_if(prefixes.begin(), prefixes.end(),
                                        [](const Cidr& c) { return c.prefix != 64; });
                bad != prefixes.end()) {
                diag.error(ifname.pos, "'ra' of " + quote(node.name.value) + " on " +
                                           quote(ifname.value) +
                                           ": SLAAC needs a /64 (RFC 4862 "
                                           "with Ethernet's 64-bit interface identifiers), and " +
                                           bad->str() + " is not; give the link a /64");
                continue;
            }
            advertiser.emplace(segment->second, key);
            plan.by_node[node.name.value].push_back({ifname.value, prefixes, std::nullopt});
        }
    for (const auto& link : topo.links)
        for (const auto& e : link.endpoints) {
            if (!e.slaac) continue;
            const NodeSpec* node = topo.find_node(e.node.value);
            std::string name = NodeInterface{e.node.value, e.interface.value}.str();
            if (node && node->kind.value != NodeKind::host) {
                diag.error(*e.slaac, "'slaac' on " + quote(name) +
                                         ": only hosts configure "
                                         "themselves from router advertisements (a " +
                                         std::string(name_of(node->kind.value)) +
                                         " forwards, and ignores them); write its address instead");
                continue;
            }
            if (std::any_of(e.addresses.begin(), e.addresses.end(), [](const AddressSpec& a) {
                    return a.address.family == Family::ipv6 && !a.address.is_ipv6_link_local();
                })) {
                diag.error(*e.slaac, "'slaac' on " + quote(name) +
                                         " beside a written IPv6 address; write one or the other");
                continue;
            }
            InterfaceKey key{e.node.value, e.interface.value};
            auto segment = addressing.segment_of.find(key);
            auto from = segment == addressing.segment_of.end() ? advertiser.end()
                                                               : advertiser.find(segment->second);
            if (from == advertiser.end()) {
                diag.error(*e.slaac, "'slaac' on " + quote(name) +
                                         ": no node sends router advertisements on its link; "
                                         "add 'ra: [INTERFACE]' to the router or NAT on it");
                continue;
            }
            plan.slaac[key] = {ipv6_prefixes(addressing, from->second).front(), from->second.node};
        }
    return plan;
}

}  // namespace natlab
