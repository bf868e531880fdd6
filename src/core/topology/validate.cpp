#include "core/topology/validate.hpp"
#include "core/topology/validate_port_security.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "core/condition/validate_condition.hpp"
#include "core/nat/nat_outsides.hpp"
#include "core/nat/nat_presets.hpp"
#include "core/nat/port_blocks.hpp"
#include "core/nat/validate_ipv6.hpp"
#include "core/nat/validate_nat.hpp"
#include "core/nat/validate_nat64.hpp"
#include "core/topology/addressing.hpp"
#include "core/topology/delegation.hpp"
#include "core/topology/dhcp_check.hpp"
#include "core/topology/nd_proxy.hpp"
#include "core/topology/node_index.hpp"
#include "core/topology/node_interface.hpp"
#include "core/topology/router_adverts.hpp"
#include "core/topology/routing.hpp"
#include "core/topology/validate_container.hpp"
#include "core/topology/validate_dns.hpp"
#include "core/topology/validate_port_security.hpp"
#include "core/util/text.hpp"

namespace natlab {

std::string name_problem(std::string_view name) {
    if (name.empty()) return "is empty";
    if (name.size() > kMaxNameLength) {
        return "is " + std::to_string(name.size()) + " characters long; use at most " +
               std::to_string(kMaxNameLength);
    }
    for (std::size_t i = 0; i < name.size(); ++i) {
        char c = name[i];
        bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
        if (!ok) {
            std::size_t length = std::max<std::size_t>(utf8_length(name, i), 1);
            return "contains " + quote(name.substr(i, length)) +
                   "; use lower-case letters, digits and '-' (it names a namespace file and a "
                   "host)";
        }
    }
    if (name.front() == '-') return "starts with '-'; start with a letter or digit";
    return "";
}

std::string interface_name_problem(std::string_view name) {
    if (name.empty()) return "is empty";
    if (name.size() > kMaxInterfaceName) {
        return "is " + std::to_string(name.size()) + " bytes long; Linux allows at most " +
               std::to_string(kMaxInterfaceName);
    }
    if (name == "." || name == ".." || name == "lo")
        return "is reserved by Linux; choose another name";
    for (char c : name) {
        if (c == '/' || c == ':' || c <= ' ' || c == 0x7f) {
            return std::string("contains ") + quote(std::string(1, c)) +
                   ", which Linux refuses in interface names";
        }
    }
    return "";
}

namespace {

class Validator {
  public:
    Validator(const Topology& topo, Diagnostics& diag) : topo_(topo), diag_(diag) {}

    std::optional<Lab> run() {
        check_names();
        check_links();
        for (const auto& node : topo_.nodes) check_node(node);
        // Addressing needs every endpoint to name a real node.
        if (!links_ok_) return std::nullopt;
        Addressing addressing = assign_addresses(topo_, diag_);
        auto nd_proxy = check_nd_proxy(topo_, addressing, diag_);
        adverts_ = check_router_adverts(topo_, addressing, diag_);
        DhcpLayout dhcp = check_dhcp(topo_, addressing, diag_);
        Lab lab = build(addressing, nd_proxy, dhcp);
        if (!diag_.empty()) return std::nullopt;
        return lab;
    }

  private:
    const Topology& topo_;
    Diagnostics& diag_;
    bool links_ok_ = true;
    RouterAdvertPlan adverts_;
    // Interfaces per node, in the order links mention them.
    std::map<std::string, std::vector<std::string>> interfaces_;

    std::string unknown_node_hint(const std::string& name, const std::vector<std::string>& names) {
        std::vector<std::string> best;
        if (diag_.worth_a_suggestion()) best = closest_all(name, names);
        return best.empty() ? "; declare it under 'nodes'" : did_you_mean(best);
    }

    void check_names() {
        if (auto p = name_problem(topo_.name.value); !p.empty() && topo_.name.pos.line) {
            diag_.error(topo_.name.pos, "lab name " + quote(topo_.name.value) + " " + p);
        }
        for (const auto& node : topo_.nodes) {
            if (auto p = name_problem(node.name.value); !p.empty()) {
                diag_.error(node.name.pos, "node name " + quote(node.name.value) + " " + p);
                continue;
            }
            std::size_t netns = topo_.name.value.size() + 1 + node.name.value.size();
            if (netns > kMaxNetnsName) {
                diag_.error(node.name.pos, "namespace name " +
                                               quote(topo_.name.value + "-" + node.name.value) +
                                               " would be " + std::to_string(netns) +
                                               " characters; keep lab and node "
                                               "names within " +
                                               std::to_string(kMaxNetnsName) + " together");
            }
        }
    }

    void check_links() {
        std::map<std::pair<std::string, std::string>, SourcePos> seen;
        auto names = topo_.node_names();
        NodeIndex<NodeSpec> nodes(topo_.nodes);
        for (const auto& link : topo_.links) {
            if (link.endpoints.size() != 2) {
                links_ok_ = false;
                continue;
            }
            for (const auto& e : link.endpoints) {
                if (!nodes.find(e.node.value)) {
                    links_ok_ = false;
                    diag_.error(e.node.pos,
                                "link endpoint " +
                                    quote(NodeInterface{e.node.value, e.interface.value}.str()) +
                                    " names unknown node " + quote(e.node.value) +
                                    unknown_node_hint(e.node.value, names));
                    continue;
                }
                if (auto p = interface_name_problem(e.interface.value); !p.empty()) {
                    diag_.error(e.interface.pos,
                                "interface name " + quote(e.interface.value) + " " + p);
                    continue;
                }
                auto [it, fresh] = seen.emplace(std::pair{e.node.value, e.interface.value}, e.pos);
                if (!fresh) {
                    links_ok_ = false;
                    diag_.error(e.interface.pos,
                                "interface " +
                                    quote(NodeInterface{e.node.value, e.interface.value}.str()) +
                                    " is already used by the link at line " +
                                    std::to_string(it->second.line) +
                                    "; give each link its own interface name");
                    continue;
                }
                interfaces_[e.node.value].push_back(e.interface.value);
            }
            if (auto& m = link.mtu; m && (m->value < 68 || m->value > 65535)) {
                diag_.error(m->pos, "mtu " + std::to_string(m->value) +
                                        " is out of range; use 68 to 65535");
            }
        }
    }

    void check_node(const NodeSpec& node) {
        const auto& mine = interfaces_[node.name.value];
        if (node.kind.value == NodeKind::nat) check_nat(node, mine);
        if (node.kind.value == NodeKind::switch_) {
            if (!node.routes.empty()) {
                diag_.error(node.routes.front().destination_pos,
                            "switch " + quote(node.name.value) +
                                " forwards frames and has no addresses, so it takes "
                                "no routes; put routes on hosts, routers and NATs");
            }
            for (const auto& ifname : mine) {
                if (ifname == kSwitchBridge) {
                    diag_.error(node.name.pos, "switch " + quote(node.name.value) +
                                                   " has a port called " + quote(kSwitchBridge) +
                                                   ", the name of its own bridge; rename the port");
                }
            }
        }
        for (const auto& s : node.sysctls) check_sysctl(s);
    }

    void check_nat(const NodeSpec& node, const std::vector<std::string>& mine) {
        if (node.outside.empty()) {
            diag_.error(node.name.pos,
                        "nat node " + quote(node.name.value) +
                            " has no outside interface; add 'outside: <interface>' naming the "
                            "interface that faces the internet (or 'outside: [vpn, wifi]' for "
                            "several, routes choosing between them)");
            return;
        }
        std::set<std::string> seen;
        for (const auto& outside : node.outside) {
            if (!seen.insert(outside.value).second) {
                diag_.error(outside.pos, "outside interface " + quote(outside.value) +
                                             " of nat node " + quote(node.name.value) +
                                             " is written twice; keep one");
                continue;
            }
            if (std::find(mine.begin(), mine.end(), outside.value) == mine.end())
                diag_.error(outside.pos,
                            "outside interface " + quote(outside.value) + " of nat node " +
                                quote(node.name.value) + " is not on any link" +
                                (closest(outside.value, mine) ? did_you_mean(outside.value, mine)
                                 : mine.empty()               ? "; add a link to it"
                                                : "; its interfaces: " + join(mine, ", ")));
        }
        if (!mine.empty() && mine.size() <= seen.size()) {
            diag_.error(node.outside.front().pos,
                        "nat node " + quote(node.name.value) +
                            " has no inside interface; link it to the hosts it translates for");
        }
    }

    void check_sysctl(const SysctlSpec& s) {
        const auto& key = s.key.value;
        // Only net.* is per network namespace: anything else would change the host.
        if (key.rfind("net.", 0) != 0) {
            diag_.error(s.key.pos, "sysctl " + quote(key) +
                                       " is not per network namespace and would change the host; "
                                       "only net.* sysctls can be set on a node");
            return;
        }
        bool safe = key.find("..") == std::string::npos && key.back() != '.' &&
                    key.find_first_not_of(
                        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-") ==
                        std::string::npos;
        if (!safe) {
            diag_.error(s.key.pos, "sysctl name " + quote(key) +
                                       " is malformed; write it dotted, e.g. "
                                       "net.ipv4.conf.all.rp_filter");
        }
        if (s.value.value.find('\n') != std::string::npos || s.value.value.empty()) {
            diag_.error(s.value.pos, "sysctl " + quote(key) + " needs a one-line value");
        }
    }

    Lab build(const Addressing& addressing, const std::map<std::string, NdProxyPlan>& nd_proxy,
              const DhcpLayout& dhcp) {
        Lab lab;
        lab.name = topo_.name.value;
        if (const auto& server = topo_.probe_server) {
            if (topo_.find_node(server->value)) {
                lab.probe_server = server->value;
            } else {
                diag_.error(server->pos, "probe-server " + quote(server->value) +
                                             " is not a node of the lab" +
                                             did_you_mean(server->value, topo_.node_names()));
            }
        }
        std::map<NodeInterface, MacAddress> mac_of = macs(lab.name);
        std::map<NodeInterface, int> mtu_of;
        std::map<NodeInterface, LinkCondition> condition_of;  // what each end sends
        for (const auto& link : topo_.links) {
            const auto& a = link.endpoints[0];
            const auto& b = link.endpoints[1];
            std::string a_name = NodeInterface{a.node.value, a.interface.value}.str();
            std::string b_name = NodeInterface{b.node.value, b.interface.value}.str();
            auto conditions = check_link_condition(link.condition, a_name, b_name, diag_);
            lab.links.push_back({a.node.value, a.interface.value, b.node.value, b.interface.value,
                                 link.mtu ? link.mtu->value : 0, conditions.a_sends,
                                 conditions.b_sends, link.pos,
                                 mac_of[{a.node.value, a.interface.value}],
                                 mac_of[{b.node.value, b.interface.value}]});
            condition_of[{a.node.value, a.interface.value}] = conditions.a_sends;
            condition_of[{b.node.value, b.interface.value}] = conditions.b_sends;
            for (const auto& e : link.endpoints)
                mtu_of[{e.node.value, e.interface.value}] = link.mtu ? link.mtu->value : 0;
        }
        for (const auto& spec : topo_.nodes) {
            LabNode node;
            node.name = spec.name.value;
            node.pos = spec.name.pos;
            node.kind = spec.kind.value;
            for (const auto& ifname : interfaces_[spec.name.value]) {
                LabInterface iface;
                iface.name = ifname;
                auto it = addressing.addresses.find({spec.name.value, ifname});
                if (it != addressing.addresses.end()) iface.addresses = it->second;
                if (auto ll = addressing.link_locals.find({spec.name.value, ifname});
                    ll != addressing.link_locals.end())
                    iface.link_local = ll->second;
                iface.bridge_port = spec.kind.value == NodeKind::switch_;
                iface.mtu = mtu_of[{spec.name.value, ifname}];
                iface.condition = condition_of[{spec.name.value, ifname}];
                iface.mac = mac_of[{spec.name.value, ifname}];
                if (auto s = adverts_.slaac.find({spec.name.value, ifname});
                    s != adverts_.slaac.end())
                    iface.slaac = s->second.first;
                if (auto server = dhcp.clients.find({spec.name.value, ifname});
                    server != dhcp.clients.end())
                    iface.dhcp_server = server->second;
                node.interfaces.push_back(iface);
            }
            if (spec.kind.value != NodeKind::switch_)
                node.routes = resolve_routes(topo_, spec, addressing, diag_);
            drop_advertised_routes(node);
            if (auto plan = nd_proxy.find(spec.name.value); plan != nd_proxy.end())
                add_nd_proxy(node, plan->second);
            if (auto ra = adverts_.by_node.find(spec.name.value); ra != adverts_.by_node.end())
                node.ra = ra->second;
            if (auto served = dhcp.servers.find(spec.name.value); served != dhcp.servers.end())
                node.dhcp = served->second;
            for (const auto& s : spec.sysctls)
                node.sysctls.push_back({s.key.value, s.value.value, s.key.pos});
            node.container = resolve_container(spec, topo_.container, diag_);
            lab.nodes.push_back(std::move(node));
        }
        // Forward targets name other nodes' addresses: every node must be built first.
        std::vector<NodeAddresses> addresses = node_addresses(lab);
        for (std::size_t i = 0; i < lab.nodes.size(); ++i)
            if (lab.nodes[i].kind == NodeKind::nat) {
                lab.nodes[i].nat = nat_node(topo_.nodes[i], lab.nodes[i], addresses);
                add_pool_addresses(topo_.nodes[i], lab.nodes[i], addresses);
                add_nat64_routes(lab.nodes[i]);
                // Hosts that discover the NAT64 prefix learn it from the advertisements.
                if (lab.nodes[i].nat->nat64)
                    for (auto& ra : lab.nodes[i].ra)
                        ra.nat64_prefix = lab.nodes[i].nat->nat64->prefix;
            }
        for (std::size_t i = 0; i < lab.nodes.size(); ++i)
            if (lab.nodes[i].kind == NodeKind::switch_)
                lab.nodes[i].port_security =
                    check_port_security(topo_.nodes[i], lab.nodes[i], lab.links, diag_);
        add_delegated_routes(lab);
        lab.dns = resolve_dns(topo_, lab, diag_);
        return lab;
    }

    // Every endpoint's MAC: the written ones, each once in the lab, then the
    // derived ones, each picked again on the rare clash with another.
    std::map<NodeInterface, MacAddress> macs(const std::string& lab) {
        std::map<NodeInterface, MacAddress> out;
        std::map<MacAddress, const EndpointSpec*> taken;
        for (const auto& link : topo_.links)
            for (const auto& e : link.endpoints) {
                if (!e.mac) continue;
                auto [first, fresh] = taken.emplace(e.mac->value, &e);
                if (!fresh) {
                    diag_.error(
                        e.mac->pos,
                        "MAC address " + e.mac->value.str() + " is also " +
                            NodeInterface{first->second->node.value, first->second->interface.value}
                                .str() +
                            "'s (line " + std::to_string(first->second->mac->pos.line) +
                            "); give each interface its own, or leave it out to get one "
                            "derived from the lab, node and interface");
                    continue;
                }
                out[{e.node.value, e.interface.value}] = e.mac->value;
            }
        for (const auto& link : topo_.links)
            for (const auto& e : link.endpoints) {
                if (e.mac) continue;
                MacAddress mac;
                for (unsigned salt = 0;; ++salt) {
                    mac = derived_mac(lab, e.node.value, e.interface.value, salt);
                    if (!taken.count(mac)) break;
                }
                taken.emplace(mac, &e);
                out[{e.node.value, e.interface.value}] = mac;
            }
        return out;
    }

    // A SLAAC interface takes its IPv6 default route from the advertisements
    // (through the router's link-local address); a route through a gateway
    // on its prefix could not be added before the address exists.
    static void drop_advertised_routes(LabNode& node) {
        for (const auto& i : node.interfaces) {
            if (!i.slaac) continue;
            std::erase_if(node.routes, [&](const LabRoute& r) {
                return r.gateway && i.slaac->contains(*r.gateway);
            });
        }
    }

    // A route written to an answered host's address wins over the node's own.
    static void add_nd_proxy(LabNode& node, const NdProxyPlan& plan) {
        node.nd_proxy = plan.entries;
        for (const auto& route : plan.routes)
            if (std::none_of(node.routes.begin(), node.routes.end(),
                             [&](const LabRoute& r) { return r.destination == route.destination; }))
                node.routes.push_back(route);
    }

    static std::vector<NodeAddresses> node_addresses(const Lab& lab) {
        std::vector<NodeAddresses> out;
        for (const auto& node : lab.nodes) {
            out.push_back({node.name, {}});
            for (const auto& iface : node.interfaces)
                out.back().addresses.insert(out.back().addresses.end(), iface.addresses.begin(),
                                            iface.addresses.end());
        }
        return out;
    }

    // Pool addresses on the outside link's subnet go on the outside
    // interface, so the next hop finds them by ARP; others are a routed
    // prefix (the next hop needs a route to them through the NAT).
    void add_pool_addresses(const NodeSpec& spec, LabNode& node,
                            const std::vector<NodeAddresses>& addresses) {
        LabInterface* outside = node.find_interface(node.nat->outside);
        if (!outside || !spec.nat.pool) return;
        const std::vector<Cidr> own = outside->addresses;
        for (const auto& address : node.nat->behaviour.pool) {
            if (auto holder = holder_of(address, node.name, addresses)) {
                diag_.error(spec.nat.pool->front().pos,
                            "pool address " + address.str() + " of nat node " + quote(node.name) +
                                " is already the address of node " + quote(*holder) +
                                "; choose a pool the lab gives no node (addresses are handed "
                                "out from the bottom of each subnet)");
                return;
            }
            for (const auto& a : own) {
                if (a.address.family != Family::ipv4 || !a.network().contains(address)) continue;
                Cidr on_link{address, a.prefix};
                if (address == a.network().address || address == a.last()) continue;
                if (std::find(outside->addresses.begin(), outside->addresses.end(), on_link) ==
                    outside->addresses.end())
                    outside->addresses.push_back(on_link);
                break;
            }
        }
    }

    static std::optional<std::string> holder_of(const IpAddress& address, const std::string& self,
                                                const std::vector<NodeAddresses>& addresses) {
        for (const auto& n : addresses) {
            if (n.node == self) continue;
            for (const auto& a : n.addresses)
                if (a.address == address) return n.node;
        }
        return std::nullopt;
    }

    // Where the NAT translates, read off its links, and what it does there.
    NatNode nat_node(const NodeSpec& spec, const LabNode& node,
                     const std::vector<NodeAddresses>& addresses) {
        NatNode nat;
        std::vector<NatOutside> outsides;
        std::vector<SourcePos> written_at;
        for (const auto& o : spec.outside) {
            bool seen = false;
            for (const auto& kept : outsides) seen = seen || kept.interface == o.value;
            if (seen) continue;  // check_nat reports it
            outsides.push_back({o.value, {}});
            written_at.push_back(o.pos);
        }
        auto outside_at = [&outsides](const std::string& ifname) -> NatOutside* {
            for (auto& o : outsides)
                if (o.interface == ifname) return &o;
            return nullptr;
        };
        std::vector<bool> addressed(outsides.size());
        for (const auto& iface : node.interfaces) {
            NatOutside* outside = outside_at(iface.name);
            if (!outside) nat.inside_interfaces.push_back(iface.name);
            for (const auto& a : iface.addresses) {
                if (a.address.family != Family::ipv4) continue;
                if (!outside) {
                    nat.inside_networks.push_back(a.network());
                } else if (!addressed[outside - outsides.data()]) {
                    outside->address = a.address;
                    addressed[outside - outsides.data()] = true;
                }
            }
        }
        for (std::size_t i = 0; i < outsides.size(); ++i) {
            if (node.find_interface(outsides[i].interface) && !addressed[i])
                diag_.error(written_at[i], "outside interface " + quote(outsides[i].interface) +
                                               " of nat node " + quote(node.name) +
                                               " has no IPv4 address to translate to; "
                                               "give its link a 'subnet:' or write an address");
        }
        if (!outsides.empty()) {
            nat.outside = outsides.front().interface;
            nat.external_address = outsides.front().address;
            nat.further_outsides.assign(outsides.begin() + 1, outsides.end());
        }
        nat.behaviour =
            check_nat_behaviour(spec.nat, node.name, nat.inside_networks, addresses, diag_);
        if (!nat.further_outsides.empty()) {
            check_several_outsides(spec, node, nat);
            return nat;
        }
        nat.nat64 = nat64_side(spec, node, nat, addresses);
        // Translated hosts are inside hosts of the IPv4 NAT, with pool addresses.
        if (nat.nat64) nat.inside_networks.push_back(nat.nat64->pool);
        if (auto problem = port_blocks_problem(nat))
            diag_.error(spec.nat.port_block->pos, "nat node " + quote(node.name) + ": " + *problem);
        nat.ipv6 = ipv6_side(spec, node, nat, addresses);
        return nat;
    }

    // What binds a NAT to one external address: refused beside several
    // outsides, each of which translates to its own. Written or from a preset.
    void check_several_outsides(const NodeSpec& spec, const LabNode& node, const NatNode& nat) {
        const std::string why =
            " of nat node " + quote(node.name) + " needs one outside interface, and it has " +
            std::to_string(spec.outside.size()) + " (each translates to its own address); remove ";
        const NatSpec& n = spec.nat;
        const NatBehaviour& b = nat.behaviour;
        auto refuse = [&](bool used, std::optional<SourcePos> written, const char* name) {
            if (!used && !written) return;
            SourcePos pos = written ? *written : n.preset ? n.preset->pos : spec.name.pos;
            diag_.error(pos, std::string("'") + name + "'" + why + "'" + name + "'" +
                                 (written ? "" : " (the preset sets it)"));
        };
        auto at = [](const auto& key) -> std::optional<SourcePos> {
            if (key) return key->pos;
            return std::nullopt;
        };
        refuse(!b.pool.empty(), n.pool ? std::optional(n.pool->front().pos) : std::nullopt, "pool");
        refuse(b.port_block != 0, at(n.port_block), "port-block");
        refuse(b.one_to_one.has_value(), at(n.one_to_one), "one-to-one");
        refuse(!b.port_mapping.empty(),
               n.port_mapping && !n.port_mapping->empty()
                   ? std::optional(n.port_mapping->front().pos)
                   : std::nullopt,
               "port-mapping");
        NatSpec with_preset = n;
        Diagnostics told_already("");
        apply_nat_preset(with_preset, node.name, told_already);
        refuse(with_preset.nat64.has_value(), at(n.nat64), "nat64");
        if (spec.ipv6) {
            diag_.error(spec.ipv6->pos, "'ipv6'" + why + "'ipv6'");
            return;
        }
        for (const auto& iface : node.interfaces)
            for (const auto& a : iface.addresses)
                if (a.address.family == Family::ipv6 && !a.address.is_ipv6_link_local()) {
                    diag_.error(spec.name.pos,
                                "nat node " + quote(node.name) + " has " +
                                    std::to_string(spec.outside.size()) +
                                    " outside interfaces, and IPv6 across a NAT takes one; "
                                    "remove the IPv6 subnets of its links (" +
                                    iface.name + " has " + a.address.str() + ")");
                    return;
                }
    }

    std::optional<Nat64Side> nat64_side(const NodeSpec& spec, const LabNode& node,
                                        const NatNode& nat,
                                        const std::vector<NodeAddresses>& addresses) {
        // A preset may turn NAT64 on; an unknown preset is reported by the behaviour's check.
        NatSpec with_preset = spec.nat;
        Diagnostics told_already("");
        apply_nat_preset(with_preset, node.name, told_already);
        Nat64Input in{with_preset.nat64, node.name, nat.inside_networks, {}, addresses};
        for (const auto& iface : node.interfaces)
            for (const auto& a : iface.addresses)
                if (iface.name != nat.outside && a.address.family == Family::ipv6)
                    in.inside_ipv6.push_back(a.network());
        return check_nat64(in, diag_);
    }

    // tayga's prefix, its pool and its own IPv6 address lead into its TUN device.
    static void add_nat64_routes(LabNode& node) {
        if (!node.nat->nat64) return;
        const Nat64Side& n = *node.nat->nat64;
        for (const Cidr& destination : {n.pool, n.prefix, Cidr{n.ipv6_address, 128}})
            node.routes.push_back({destination, std::nullopt, kNat64Device});
    }

    // The same reading for IPv6: global addresses only (every interface has
    // a link-local one, and none of them is routed).
    std::optional<Ipv6Side> ipv6_side(const NodeSpec& spec, const LabNode& node, const NatNode& nat,
                                      const std::vector<NodeAddresses>& addresses) {
        Ipv6SideInput in{spec.ipv6,    node.name, nat.outside, nat.behaviour,
                         std::nullopt, {},        addresses};
        for (const auto& iface : node.interfaces) {
            for (const auto& a : iface.addresses) {
                if (a.address.family != Family::ipv6 || a.address.is_ipv6_link_local()) continue;
                if (iface.name != nat.outside)
                    in.inside_networks.push_back(a.network());
                else if (!in.external_address)
                    in.external_address = a.address;
            }
        }
        return check_ipv6_side(in, diag_);
    }
};

}  // namespace

std::optional<Lab> validate(const Topology& topo, Diagnostics& diag) {
    return Validator(topo, diag).run();
}

}  // namespace natlab
