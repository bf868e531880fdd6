#include "core/topology/dhcp_check.hpp"

#include <algorithm>
#include <set>

#include "core/dhcp/lease_time.hpp"
#include "core/topology/node_index.hpp"
#include "core/topology/node_interface.hpp"
#include "core/util/text.hpp"

namespace natlab {
namespace {

std::string end_name(const std::string& node, const std::string& ifname) {
    return NodeInterface{node, ifname}.str();
}

class DhcpChecker {
  public:
    DhcpChecker(const Topology& topo, const Addressing& addressing, Diagnostics& diag)
        : topo_(topo), nodes_(topo.nodes), addressing_(addressing), diag_(diag) {}

    DhcpLayout run() {
        for (const auto& node : topo_.nodes)
            for (const auto& spec : node.dhcp) serve(node, spec);
        for (const auto& [key, pos] : addressing_.dhcp_clients) take(key, pos);
        for (const auto& [segment, server] : by_segment_) check_room(segment, server);
        return layout_;
    }

  private:
    struct Served {
        std::string node;
        const DhcpServeSpec* spec;
        std::size_t index;  // in layout_.servers[node]
        int clients = 0;
    };
    const Topology& topo_;
    NodeIndex<NodeSpec> nodes_;
    const Addressing& addressing_;
    Diagnostics& diag_;
    DhcpLayout layout_;
    std::map<int, Served> by_segment_;
    std::set<int> refused_;  // segments whose server's settings were refused

    // The static IPv4 addresses of the segment in `subnet`, with their holders.
    std::vector<std::pair<IpAddress, InterfaceKey>> static_addresses(int segment,
                                                                     const Cidr& subnet) const {
        std::vector<std::pair<IpAddress, InterfaceKey>> out;
        auto members = addressing_.on_segment.find(segment);
        if (members == addressing_.on_segment.end()) return out;
        for (const auto& key : members->second) {
            auto it = addressing_.addresses.find(key);
            if (it == addressing_.addresses.end()) continue;
            for (const auto& a : it->second)
                if (a.address.family == Family::ipv4 && subnet.contains(a.address))
                    out.emplace_back(a.address, key);
        }
        return out;
    }

    void serve(const NodeSpec& node, const DhcpServeSpec& spec) {
        const std::string& ifname = spec.interface.value;
        const std::string& name = node.name.value;
        auto& mine = layout_.servers[name];
        if (std::any_of(mine.begin(), mine.end(),
                        [&](const DhcpServer& s) { return s.interface == ifname; })) {
            diag_.error(spec.interface.pos, "interface " + quote(ifname) + " is listed twice in " +
                                                "'dhcp' of " + quote(name) + "; list it once");
            return;
        }
        auto segment = addressing_.segment_of.find({name, ifname});
        if (segment == addressing_.segment_of.end()) {
            std::vector<std::string> names;
            for (auto it = addressing_.segment_of.lower_bound({name, ""});
                 it != addressing_.segment_of.end() && it->first.node == name; ++it)
                names.push_back(it->first.interface);
            diag_.error(spec.interface.pos,
                        "'dhcp' of " + quote(name) + " names interface " + quote(ifname) +
                            ", which is on no link of " + quote(name) +
                            (closest(ifname, names) ? did_you_mean(ifname, names)
                             : names.empty()        ? "; link the node first"
                                                    : "; its interfaces: " + join(names, ", ")));
            return;
        }
        if (addressing_.refused.count({name, ifname})) return;  // told where it was written
        std::optional<Cidr> own;
        if (auto it = addressing_.addresses.find({name, ifname}); it != addressing_.addresses.end())
            for (const auto& a : it->second)
                if (a.address.family == Family::ipv4 && !own) own = a;
        if (!own) {
            diag_.error(spec.interface.pos,
                        end_name(name, ifname) +
                            " has no IPv4 address to serve DHCP from; give its link an IPv4 "
                            "'subnet:' (the clients' addresses come from it)");
            return;
        }
        if (!check_own_address(*own, spec, name, ifname)) return;
        auto range = resolve_range(segment->second, *own, spec, name, ifname);
        auto lease = resolve_lease(spec);
        if (!range || !lease) {
            refused_.insert(segment->second);  // its clients' problem is told here
            return;
        }
        if (auto [it, fresh] =
                by_segment_.try_emplace(segment->second, Served{name, &spec, mine.size(), 0});
            !fresh) {
            diag_.error(spec.interface.pos,
                        end_name(name, ifname) + " is on the same segment as " +
                            end_name(it->second.node, it->second.spec->interface.value) +
                            " (line " + std::to_string(it->second.spec->interface.pos.line) +
                            "), which serves DHCP there already; one server per segment");
            return;
        }
        mine.push_back({ifname, *own, *range, *lease});
    }

    // A /31 or /32 has no room for a server and a client of its own.
    bool check_own_address(const Cidr& own, const DhcpServeSpec& spec, const std::string& node,
                           const std::string& ifname) {
        if (own.prefix <= 30) return true;
        diag_.error(spec.interface.pos, end_name(node, ifname) + " has " + own.str() +
                                            ", a subnet too small to lease from; use a /30 "
                                            "or larger");
        return false;
    }

    std::optional<DhcpRange> resolve_range(int segment, const Cidr& own, const DhcpServeSpec& spec,
                                           const std::string& node, const std::string& ifname) {
        const Cidr subnet = own.network();
        // The hosts of an IPv4 subnet: neither its network nor its broadcast address.
        const IpAddress lowest = *ipv4_offset(subnet.address, 1);
        const IpAddress highest = *ipv4_offset(subnet.last(), -1);
        auto statics = static_addresses(segment, subnet);
        if (!spec.range) {
            IpAddress top = subnet.address;
            for (const auto& [a, key] : statics) top = std::max(top, a);
            auto first = ipv4_offset(top, 1);
            if (!first || !DhcpRange{lowest, highest}.contains(*first)) {
                diag_.error(spec.interface.pos,
                            "subnet " + subnet.str() + " of " + end_name(node, ifname) +
                                " has no address above the static ones (up to " + top.str() +
                                ") left to lease; write a 'range' or use a larger subnet");
                return std::nullopt;
            }
            return DhcpRange{*first, highest};
        }
        const auto& written = *spec.range;
        auto range = parse_dhcp_range(written.value);
        if (!range) {
            diag_.error(written.pos, "DHCP range " + quote(written.value) + " of " +
                                         end_name(node, ifname) +
                                         " is not FIRST-LAST with two IPv4 addresses, the first "
                                         "not above the last; write e.g. " +
                                         lowest.str() + "-" + highest.str());
            return std::nullopt;
        }
        if (!(DhcpRange{lowest, highest}.contains(range->first) &&
              DhcpRange{lowest, highest}.contains(range->last))) {
            diag_.error(written.pos, "DHCP range " + range->str() + " of " +
                                         end_name(node, ifname) + " is not inside the hosts of " +
                                         subnet.str() +
                                         ", the interface's subnet; use a range "
                                         "within " +
                                         lowest.str() + "-" + highest.str());
            return std::nullopt;
        }
        for (const auto& [a, key] : statics)
            if (range->contains(a)) {
                diag_.error(written.pos,
                            "DHCP range " + range->str() + " of " + end_name(node, ifname) +
                                " holds " + a.str() + ", the static address of " +
                                end_name(key.node, key.interface) +
                                "; start the range above the static addresses (natlab hands "
                                "them out from the bottom of the subnet) or write that "
                                "address outside it");
                return std::nullopt;
            }
        return range;
    }

    std::optional<int> resolve_lease(const DhcpServeSpec& spec) {
        if (!spec.lease) return kDefaultLeaseSeconds;
        const auto& written = *spec.lease;
        auto seconds = parse_lease_seconds(written.value);
        if (!seconds) {
            diag_.error(written.pos, "DHCP lease " + quote(written.value) +
                                         " is not a time; write seconds or a number with s, m, "
                                         "h or d, e.g. 'lease: 1h'");
            return std::nullopt;
        }
        if (*seconds < kMinLeaseSeconds || *seconds > kMaxLeaseSeconds) {
            diag_.error(written.pos, "DHCP lease " + written.value + " is " +
                                         (*seconds < kMinLeaseSeconds
                                              ? "shorter than 2m, which dnsmasq raises to 2m"
                                              : "longer than a week") +
                                         "; use 2m to 7d");
            return std::nullopt;
        }
        return seconds;
    }

    void take(const InterfaceKey& key, SourcePos pos) {
        const NodeSpec* node = nodes_.find(key.node);
        if (!node) return;
        if (node->kind.value != NodeKind::host) {
            if (node->kind.value != NodeKind::switch_)
                diag_.error(pos, end_name(key.node, key.interface) + " takes its address by " +
                                     "DHCP, and " + quote(key.node) + " is a " +
                                     name_of(node->kind.value) +
                                     "; only hosts do: give it an address, or make it a host");
            return;
        }
        auto segment = addressing_.segment_of.find(key);
        if (segment == addressing_.segment_of.end()) return;
        auto served = by_segment_.find(segment->second);
        if (served == by_segment_.end() && refused_.count(segment->second)) return;
        if (served == by_segment_.end()) {
            diag_.error(pos, end_name(key.node, key.interface) +
                                 " takes its address by DHCP, and no router or NAT on its "
                                 "segment serves DHCP" +
                                 candidate(segment->second, key.node));
            return;
        }
        ++served->second.clients;
        layout_.clients[key] = served->second.node;
    }

    // "; add 'dhcp: [lan]' to node 'hv'" for a router or NAT on the segment.
    std::string candidate(int segment, const std::string& self) const {
        auto members = addressing_.on_segment.find(segment);
        if (members != addressing_.on_segment.end())
            for (const auto& key : members->second) {
                const NodeSpec* n = nodes_.find(key.node);
                if (key.node == self || !n ||
                    (n->kind.value != NodeKind::router && n->kind.value != NodeKind::nat))
                    continue;
                return "; add 'dhcp: [" + key.interface + "]' to node " + quote(key.node);
            }
        return "; link it to a router or NAT that lists the interface in its 'dhcp' key";
    }

    void check_room(int, const Served& served) {
        const DhcpServer& s = layout_.servers[served.node][served.index];
        if (static_cast<std::uint64_t>(served.clients) <= s.range.size()) return;
        diag_.error(served.spec->range ? served.spec->range->pos : served.spec->interface.pos,
                    "DHCP range " + s.range.str() + " of " + end_name(served.node, s.interface) +
                        " holds " + std::to_string(s.range.size()) + " addresses for " +
                        std::to_string(served.clients) + " clients; use a larger range");
    }
};

}  // namespace

DhcpLayout check_dhcp(const Topology& topo, const Addressing& addressing, Diagnostics& diag) {
    return DhcpChecker(topo, addressing, diag).run();
}

}  // namespace natlab
