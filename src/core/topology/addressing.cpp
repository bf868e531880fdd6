#include "core/topology/addressing.hpp"

#include <algorithm>
#include <numeric>
#include <set>

#include "core/topology/first_clashes.hpp"
#include "core/topology/node_index.hpp"
#include "core/topology/node_interface.hpp"
#include "core/util/text.hpp"

namespace natlab {
namespace {

std::string where(const SourcePos& pos) {
    return "line " + std::to_string(pos.line);
}

// Links that share a switch form one segment (one L2 domain).
std::vector<int> segments_of_links(const Topology& topo, const NodeIndex<NodeSpec>& nodes) {
    std::vector<int> parent(topo.links.size());
    std::iota(parent.begin(), parent.end(), 0);
    auto find = [&](int i) {
        while (parent[i] != i) i = parent[i] = parent[parent[i]];
        return i;
    };
    std::map<std::string, int> first_link_of_switch;
    for (int i = 0; i < static_cast<int>(topo.links.size()); ++i) {
        for (const auto& e : topo.links[i].endpoints) {
            const NodeSpec* node = nodes.find(e.node.value);
            if (!node || node->kind.value != NodeKind::switch_) continue;
            auto [it, fresh] = first_link_of_switch.emplace(e.node.value, i);
            if (!fresh) parent[find(i)] = find(it->second);
        }
    }
    std::vector<int> segment(topo.links.size());
    for (int i = 0; i < static_cast<int>(topo.links.size()); ++i) segment[i] = find(i);
    return segment;
}

struct SegmentSubnet {
    Cidr cidr;
    SourcePos pos;
    std::string origin;  // "switch 'sw0'" or "this link", for messages
};

class Assigner {
  public:
    Assigner(const Topology& topo, Diagnostics& diag)
        : topo_(topo), nodes_(topo.nodes), diag_(diag) {}

    Addressing run() {
        link_segment_ = segments_of_links(topo_, nodes_);
        collect_subnets();
        for (std::size_t i = 0; i < topo_.links.size(); ++i) {
            for (const auto& e : topo_.links[i].endpoints) {
                position_.try_emplace({e.node.value, e.interface.value}, e.pos);
                result_.segment_of[{e.node.value, e.interface.value}] = link_segment_[i];
                result_.interfaces_on[{e.node.value, link_segment_[i]}].push_back(
                    e.interface.value);
                result_.on_segment[link_segment_[i]].push_back({e.node.value, e.interface.value});
                take_written_addresses(link_segment_[i], e);
            }
        }
        assign_missing_addresses();
        check_each_node();
        return result_;
    }

  private:
    const Topology& topo_;
    NodeIndex<NodeSpec> nodes_;
    Diagnostics& diag_;
    Addressing result_;
    std::vector<int> link_segment_;
    std::map<int, std::map<Family, SegmentSubnet>> subnets_;
    std::map<std::pair<int, IpAddress>, std::pair<InterfaceKey, SourcePos>> used_;
    std::map<InterfaceKey, SourcePos> position_;  // of each interface's endpoint

    void add_subnet(int segment, const Marked<Cidr>& subnet, const std::string& origin) {
        auto& by_family = subnets_[segment];
        auto [it, fresh] = by_family.emplace(subnet.value.address.family,
                                             SegmentSubnet{subnet.value, subnet.pos, origin});
        if (!fresh && it->second.cidr != subnet.value) {
            diag_.error(subnet.pos,
                        "subnet " + subnet.value.str() + " of " + origin + " differs from " +
                            it->second.cidr.str() + ", the subnet of " + it->second.origin + " (" +
                            where(it->second.pos) + ") on the same segment; use one " +
                            family_name(subnet.value.address.family) + " subnet per segment");
        }
    }

    void collect_subnets() {
        for (std::size_t i = 0; i < topo_.links.size(); ++i) {
            for (const auto& e : topo_.links[i].endpoints) {
                const NodeSpec* node = nodes_.find(e.node.value);
                if (!node || node->kind.value != NodeKind::switch_) continue;
                for (const auto& s : node->subnets)
                    add_subnet(link_segment_[i], s, "switch " + quote(node->name.value));
            }
        }
        for (std::size_t i = 0; i < topo_.links.size(); ++i) {
            for (const auto& s : topo_.links[i].subnets)
                add_subnet(link_segment_[i], s, "this link");
        }
    }

    const SegmentSubnet* subnet_of(int segment, Family family) const {
        auto seg = subnets_.find(segment);
        if (seg == subnets_.end()) return nullptr;
        auto it = seg->second.find(family);
        return it == seg->second.end() ? nullptr : &it->second;
    }

    bool is_switch(const std::string& node) const {
        const NodeSpec* n = nodes_.find(node);
        return n && n->kind.value == NodeKind::switch_;
    }

    std::string endpoint_name(const EndpointSpec& e) const {
        return NodeInterface{e.node.value, e.interface.value}.str();
    }

    bool claim(int segment, const Cidr& address, const InterfaceKey& key, SourcePos pos) {
        auto [it, fresh] = used_.emplace(std::pair{segment, address.address}, std::pair{key, pos});
        if (fresh) return true;
        const auto& [owner, owner_pos] = it->second;
        diag_.error(pos, "address " + address.address.str() + " is already used by " +
                             NodeInterface{owner.node, owner.interface}.str() + " (" +
                             where(owner_pos) +
                             ") on the same segment; give each interface its own address");
        return false;
    }

    void take_written_addresses(int segment, const EndpointSpec& e) {
        InterfaceKey key{e.node.value, e.interface.value};
        if (e.dhcp && is_switch(e.node.value)) {
            diag_.error(*e.dhcp, "switch port " + endpoint_name(e) +
                                     " cannot take an address by DHCP; write 'dhcp' on the "
                                     "host's end of the link");
        } else if (e.dhcp) {
            result_.dhcp_clients.emplace(key, *e.dhcp);
            for (const auto& a : e.addresses)
                if (a.address.family == Family::ipv4)
                    diag_.error(a.pos, "address " + a.address.str() + " of " + endpoint_name(e) +
                                           " is IPv4, and the endpoint takes its IPv4 address by "
                                           "DHCP; remove one of the two");
        }
        if (is_switch(e.node.value)) {
            for (const auto& a : e.addresses) {
                diag_.error(
                    a.pos,
                    "switch port " + endpoint_name(e) +
                        " cannot have an address; put the address on the other end of the link");
            }
            return;
        }
        // A refused address is remembered: routes through this interface would
        // fail only because of it, and the cause is what to report.
        auto refuse = [&](SourcePos pos, const std::string& message) {
            diag_.error(pos, message);
            result_.refused.insert(key);
        };
        for (const auto& a : e.addresses) {
            if (a.address.is_ipv6_link_local()) {
                take_link_local(segment, e, a);
                continue;
            }
            const SegmentSubnet* subnet = subnet_of(segment, a.address.family);
            if (!a.prefix && !subnet) {
                refuse(a.pos, "address " + a.address.str() + " of " + endpoint_name(e) +
                                  " has no prefix length and its link has no " +
                                  family_name(a.address.family) + " subnet; write " +
                                  a.address.str() +
                                  (a.address.family == Family::ipv4 ? "/24" : "/64") +
                                  " or add 'subnet:' to the link");
                continue;
            }
            Cidr cidr{a.address, a.prefix.value_or(subnet ? subnet->cidr.prefix : 0)};
            if (subnet &&
                !(subnet->cidr.contains(a.address) && cidr.prefix == subnet->cidr.prefix)) {
                refuse(a.pos, "address " + cidr.str() + " of " + endpoint_name(e) +
                                  " is outside subnet " + subnet->cidr.str() + " of " +
                                  subnet->origin + "; use an address in " + subnet->cidr.str() +
                                  " or leave it out to have one assigned");
                continue;
            }
            if (auto problem = host_address_problem(cidr); !problem.empty()) {
                refuse(a.pos,
                       "address " + cidr.str() + " of " + endpoint_name(e) + " is " + problem);
                continue;
            }
            if (claim(segment, cidr, key, a.pos))
                result_.addresses[key].push_back(cidr);
            else
                result_.refused.insert(key);
        }
    }

    // A link-local address stands beside the one the kernel makes, whatever
    // the link's subnet: one per interface, unique on its segment.
    void take_link_local(int segment, const EndpointSpec& e, const AddressSpec& a) {
        InterfaceKey key{e.node.value, e.interface.value};
        Cidr cidr{a.address, a.prefix.value_or(64)};
        if (auto it = result_.link_locals.find(key); it != result_.link_locals.end()) {
            diag_.error(a.pos, "address " + cidr.str() + " is a second link-local address of " +
                                   endpoint_name(e) + ", which has " + it->second.str() +
                                   "; write one (the kernel adds its own beside it)");
            result_.refused.insert(key);
            return;
        }
        if (claim(segment, cidr, key, a.pos))
            result_.link_locals.emplace(key, cidr);
        else
            result_.refused.insert(key);
    }

    static std::string host_address_problem(const Cidr& cidr) {
        if (auto range = reserved_range(Cidr{cidr.address, cidr.address.bit_width()});
            !range.empty())
            return range + "; use a unicast address such as " +
                   (cidr.address.family == Family::ipv4 ? "10.0.1.2/24" : "fd00:1::2/64");
        if (cidr.address.family != Family::ipv4 || cidr.prefix >= 31) return "";
        if (cidr.is_network()) {
            return "the network address of " + cidr.network().str() +
                   "; use a host address such as " + cidr.host(1)->address.str();
        }
        if (cidr.address == cidr.last()) {
            return "the broadcast address of " + cidr.network().str() +
                   "; use a host address below it";
        }
        return "";
    }

    // The links nd-proxy nodes join into one IPv6 prefix, by segment: an
    // address handed out on one of them must be free on the others too. Each
    // segment of a group maps to every segment of it, the smallest first.
    std::map<int, std::vector<int>> joined_by_proxy() const {
        std::map<int, int> parent;
        auto find = [&](int s) {
            parent.try_emplace(s, s);
            while (parent[s] != s) s = parent[s] = parent[parent[s]];
            return s;
        };
        for (const auto& node : topo_.nodes) {
            if (node.nd_proxy.empty()) continue;
            const auto& all = result_.segment_of;
            auto first = all.lower_bound({node.name.value, ""});
            for (auto it = first; it != all.end() && it->first.node == node.name.value; ++it) {
                int a = find(first->second), b = find(it->second);
                parent[std::max(a, b)] = std::min(a, b);
            }
        }
        std::map<int, std::vector<int>> members, joined;
        for (const auto& [segment, up] : parent) members[find(segment)].push_back(segment);
        for (const auto& [root, group] : members)
            if (group.size() > 1)
                for (int segment : group) joined[segment] = group;
        return joined;
    }

    void assign_missing_addresses() {
        // Keyed by the first segment of a joined group, or the segment itself.
        std::map<std::pair<int, Cidr>, std::uint64_t> next_host;
        const auto joined = joined_by_proxy();
        auto taken = [&](int segment, Family family, const IpAddress& address) {
            auto group = joined.find(segment);
            if (family != Family::ipv6 || group == joined.end())
                return used_.count({segment, address}) > 0;
            return std::any_of(group->second.begin(), group->second.end(), [&](int s) {
                return used_.count({s, address}) > 0;
            });
        };
        for (std::size_t i = 0; i < topo_.links.size(); ++i) {
            int segment = link_segment_[i];
            auto seg = subnets_.find(segment);
            if (seg == subnets_.end()) continue;
            for (const auto& e : topo_.links[i].endpoints) {
                if (is_switch(e.node.value)) continue;
                InterfaceKey key{e.node.value, e.interface.value};
                for (const auto& [family, subnet] : seg->second) {
                    bool written = std::any_of(e.addresses.begin(), e.addresses.end(),
                                               [&family = family](const AddressSpec& a) {
                                                   return a.address.family == family &&
                                                          !a.address.is_ipv6_link_local();
                                               });
                    // A SLAAC host's IPv6 address comes from the router's advertisements,
                    // a DHCP client's IPv4 address from its segment's server.
                    if (written || (e.slaac && family == Family::ipv6) ||
                        (e.dhcp && family == Family::ipv4))
                        continue;
                    auto group = joined.find(segment);
                    int first = family == Family::ipv6 && group != joined.end()
                                    ? group->second.front()
                                    : segment;
                    auto& n = next_host[{first, subnet.cidr}];
                    std::optional<Cidr> host;
                    do host = subnet.cidr.host(++n);
                    while (host && taken(segment, family, host->address));
                    if (!host) {
                        diag_.error(subnet.pos, "subnet " + subnet.cidr.str() +
                                                    " has no free address left for " +
                                                    endpoint_name(e) + "; use a larger subnet");
                        continue;
                    }
                    used_.emplace(std::pair{segment, host->address}, std::pair{key, e.pos});
                    result_.addresses[key].push_back(*host);
                }
            }
        }
    }

    // One node must not hold one address twice, nor overlapping subnets on
    // two interfaces (first_clashes: each told once). A router or NAT may
    // share an IPv6 prefix between its links when it answers neighbour
    // discovery for them: nd_proxy checks those.
    void check_each_node() {
        std::map<std::string, std::vector<InterfaceAddress>> by_node;
        for (const auto& [key, cidrs] : result_.addresses)
            for (const auto& c : cidrs) by_node[key.node].push_back({key.interface, c});
        for (const auto& [node, list] : by_node) {
            const NodeSpec* spec = nodes_.find(node);
            bool forwards =
                spec && (spec->kind.value == NodeKind::router || spec->kind.value == NodeKind::nat);
            for (const auto& [i, j] : first_clashes(list)) {
                const auto& [ia, a] = list[i];
                const auto& [ib, b] = list[j];
                if (forwards && a.address.family == Family::ipv6 && a.address != b.address)
                    continue;
                std::string what = a.address == b.address
                                       ? "address " + a.address.str() + " is on both"
                                       : "subnets " + a.network().str() + " and " +
                                             b.network().str() + " overlap on";
                diag_.error(position_.at({node, ib}),
                            "node " + quote(node) + ": " + what + " " + ia + " and " + ib +
                                "; give each interface of a node its own subnet");
            }
        }
    }
};

}  // namespace

Addressing assign_addresses(const Topology& topo, Diagnostics& diag) {
    return Assigner(topo, diag).run();
}

}  // namespace natlab
