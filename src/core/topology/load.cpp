#include "core/topology/load.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <array>
#include <climits>
#include <map>

#include "core/condition/load_condition.hpp"
#include "core/dhcp/load_dhcp.hpp"
#include "core/dns/load_dns.hpp"
#include "core/input/values.hpp"
#include "core/input/yaml_documents.hpp"
#include "core/input/yaml_reader.hpp"
#include "core/nat/load_nat.hpp"
#include "core/topology/load_container.hpp"
#include "core/topology/node_interface.hpp"
#include "core/util/text.hpp"

namespace natlab {

namespace {

const std::vector<std::string> kTopKeys = {"name", "nodes", "links", "probe-server", "container"};
const std::vector<std::string> kLinkKeys = [] {
    std::vector<std::string> keys = {"endpoints", "subnet", "mtu"};
    for (const auto& key : link_condition_keys()) keys.push_back(key);
    return keys;
}();
// Keys every node kind accepts, and those that belong to one kind only.
const std::vector<std::string> kCommonNodeKeys = {"kind", "routes", "sysctls", "container"};
struct KindOnlyKey {
    std::vector<NodeKind> kinds;
    const char* fix;
};
const std::map<std::string, KindOnlyKey> kKindOnlyKeys = [] {
    std::map<std::string, KindOnlyKey> keys = {
        {"outside", {{NodeKind::nat}, "make it 'kind: nat' or remove 'outside'"}},
        {"subnet", {{NodeKind::switch_}, "put 'subnet:' on its links instead"}},
        {"port-security",
         {{NodeKind::switch_}, "port security is a switch's: put it on the switch the host is on"}},
        {"nd-proxy",
         {{NodeKind::router, NodeKind::nat}, "make it 'kind: router' or remove 'nd-proxy'"}},
        {"dns",
         {{NodeKind::host, NodeKind::router, NodeKind::nat},
          "a switch holds no address to serve from: put 'dns' on a node attached to it"}},
        {"ra", {{NodeKind::router, NodeKind::nat}, "make it 'kind: router' or remove 'ra'"}},

        {"dhcp",
         {{NodeKind::router, NodeKind::nat},
          "make it 'kind: router' or 'kind: nat', or remove 'dhcp'"}}};
    for (const auto& key : nat_behaviour_keys())
        keys.emplace(key, KindOnlyKey{{NodeKind::nat}, "make it 'kind: nat' or remove it"});
    return keys;
}();

bool takes(const KindOnlyKey& key, NodeKind kind) {
    return std::find(key.kinds.begin(), key.kinds.end(), kind) != key.kinds.end();
}

// "router and nat nodes"
std::string kinds_text(const KindOnlyKey& key) {
    std::vector<std::string> names;
    for (auto kind : key.kinds) names.emplace_back(name_of(kind));
    std::string last = names.back();
    names.pop_back();
    return (names.empty() ? "" : join(names, ", ") + " and ") + last + " nodes";
}

// Why no link can have this subnet, or "".
std::string unusable_subnet(const Cidr& subnet) {
    if (subnet.prefix == 0)
        return std::string("covers every ") + family_name(subnet.address.family) + " address";
    std::string range = reserved_range(subnet);
    return range.empty() ? "" : "is " + range;
}

class Loader : public YamlReader {
  public:
    using YamlReader::YamlReader;

    void load(const YAML::Node& root, Topology& topo) {
        if (!root.IsMap()) {
            diag_.error(at(root),
                        "the topology must be a mapping with 'name', 'nodes' and 'links'; got " +
                            describe_type(root));
            return;
        }
        check_keys(root, kTopKeys, "at the top level");
        if (auto name = field(root, "name")) {
            if (scalar(name, "'name'")) topo.name = {name.Scalar(), at(name)};
        } else {
            diag_.error(at(root), "missing 'name': add 'name: <lab name>' at the top level");
        }
        if (auto nodes = field(root, "nodes")) {
            load_nodes(nodes, topo);
        } else {
            diag_.error(at(root),
                        "missing 'nodes': add a 'nodes:' mapping of node name to settings");
        }
        if (auto links = field(root, "links")) load_links(links, topo);
        if (auto server = field(root, "probe-server"); server && scalar(server, "'probe-server'"))
            topo.probe_server = marked(server);
        if (auto container = field(root, "container"))
            topo.container = load_container(*this, container);
    }

  private:
    void load_nodes(const YAML::Node& nodes, Topology& topo) {
        if (!expect(nodes, YAML::NodeType::Map, "'nodes'", "nodes: {c0: {kind: host}}")) return;
        std::map<std::string, SourcePos> seen;
        for (auto it = nodes.begin(); it != nodes.end(); ++it) {
            if (!scalar(it->first, "a node name")) continue;
            NodeSpec node;
            node.name = {it->first.Scalar(), at(it->first)};
            if (auto [prev, fresh] = seen.emplace(node.name.value, node.name.pos); !fresh) {
                diag_.error(node.name.pos, "duplicate node name " + quote(node.name.value) +
                                               " (first defined at line " +
                                               std::to_string(prev->second.line) +
                                               "); rename one of them");
                continue;
            }
            load_node(it->second, node);
            topo.nodes.push_back(std::move(node));
        }
    }

    void load_node(const YAML::Node& body, NodeSpec& node) {
        node.kind = {NodeKind::host, node.name.pos};
        if (body.IsNull()) return;  // "c0:" alone is a host with defaults
        if (!expect(body, YAML::NodeType::Map, "node " + quote(node.name.value),
                    node.name.value + ": {kind: host}"))
            return;
        if (auto kind = field(body, "kind"); kind && scalar(kind, "'kind'")) {
            if (auto k = parse_name<NodeKind>(kind.Scalar())) {
                node.kind = {*k, at(kind)};
            } else {
                diag_.error(at(kind), "unknown node kind " + quote(kind.Scalar()) +
                                          "; use one of " + join(names_of<NodeKind>(), ", ") +
                                          did_you_mean(kind.Scalar(), names_of<NodeKind>()));
            }
        }
        std::vector<std::string> known = kCommonNodeKeys;
        for (const auto& [key, only] : kKindOnlyKeys) {
            known.push_back(key);
            if (takes(only, node.kind.value) || !field(body, key)) continue;
            diag_.error(at(field(body, key)), "key " + quote(key) + " applies only to " +
                                                  kinds_text(only) + " and " +
                                                  quote(node.name.value) + " is a " +
                                                  name_of(node.kind.value) + "; " + only.fix);
        }
        check_keys(body, known, "in node " + quote(node.name.value));
        if (auto routes = field(body, "routes")) load_routes(routes, node);
        if (auto sysctls = field(body, "sysctls")) load_sysctls(sysctls, node);
        if (auto outside = field(body, "outside"); outside && node.kind.value == NodeKind::nat) {
            load_outside(outside, node);
        }
        if (node.kind.value == NodeKind::nat) {
            load_nat(*this, body, node.nat);
            node.ipv6 = load_ipv6_side(*this, body);
        }
        if (auto proxy = field(body, "nd-proxy");
            proxy && takes(kKindOnlyKeys.at("nd-proxy"), node.kind.value))
            node.nd_proxy = scalars(proxy, "'nd-proxy'");
        if (auto ra = field(body, "ra"); ra && takes(kKindOnlyKeys.at("ra"), node.kind.value))
            node.ra = scalars(ra, "'ra'");
        if (auto dhcp = field(body, "dhcp");
            dhcp && takes(kKindOnlyKeys.at("dhcp"), node.kind.value))
            node.dhcp = load_dhcp(*this, dhcp);
        if (auto subnet = field(body, "subnet"); subnet && node.kind.value == NodeKind::switch_) {
            node.subnets = load_subnets(subnet);
        }
        if (auto container = field(body, "container"))
            node.container = load_container(*this, container);
        if (auto dns = field(body, "dns"); dns && node.kind.value != NodeKind::switch_) {
            node.dns = load_dns(*this, dns);
            // Where 'dns:' is written: a block mapping's own place is its first key.
            for (auto it = body.begin(); node.dns && it != body.end(); ++it)
                if (it->first.IsScalar() && it->first.Scalar() == "dns")
                    node.dns->pos = at(it->first);
        }
        if (auto security = field(body, "port-security");
            security && node.kind.value == NodeKind::switch_)
            load_port_security(security, node);
    }

    void load_port_security(const YAML::Node& ports, NodeSpec& node) {
        const std::string example =
            "port-security: {vm: {forged-transmits: reject, mac-changes: reject}}";
        if (!expect(ports, YAML::NodeType::Map, "'port-security'", example)) return;
        for (auto it = ports.begin(); it != ports.end(); ++it) {
            if (!scalar(it->first, "a switch port") ||
                !expect(it->second, YAML::NodeType::Map,
                        "the policy of port " + quote(it->first.Scalar()), example))
                continue;
            check_keys(it->second, {"forged-transmits", "mac-changes", "promiscuous"},
                       "in the policy of port " + quote(it->first.Scalar()));
            PortSecuritySpec spec{{it->first.Scalar(), at(it->first)}, {}, {}, {}};
            auto value = [&](const char* key, std::optional<Marked<std::string>>& out) {
                if (auto v = field(it->second, key); v && scalar(v, quote(key))) out = marked(v);
            };
            value("forged-transmits", spec.forged_transmits);
            value("mac-changes", spec.mac_changes);
            value("promiscuous", spec.promiscuous);
            node.port_security.push_back(std::move(spec));
        }
    }

    void load_routes(const YAML::Node& routes, NodeSpec& node) {
        if (!expect(routes, YAML::NodeType::Map, "'routes'",
                    "routes: {default: nat0, 10.0.0.0/8: 10.0.1.254}"))
            return;
        for (auto it = routes.begin(); it != routes.end(); ++it) {
            if (!scalar(it->first, "a route destination") || !scalar(it->second, "a route gateway"))
                continue;
            RouteSpec route;
            route.destination_pos = at(it->first);
            route.via = {it->second.Scalar(), at(it->second)};
            const auto& dest = it->first.Scalar();
            if (dest != "default") {
                auto cidr = Cidr::parse(dest);
                if (!cidr) {
                    diag_.error(
                        route.destination_pos,
                        "route destination " + quote(dest) +
                            " is not a CIDR; write 'default' or a network such as 10.0.0.0/8");
                    continue;
                }
                if (!cidr->is_network()) {
                    diag_.error(route.destination_pos, "route destination " + quote(dest) +
                                                           " has host bits set; write " +
                                                           cidr->network().str());
                    continue;
                }
                route.destination = cidr;
            }
            node.routes.push_back(route);
        }
    }

    void load_sysctls(const YAML::Node& sysctls, NodeSpec& node) {
        if (!expect(sysctls, YAML::NodeType::Map, "'sysctls'", "sysctls: {net.ipv4.ip_forward: 1}"))
            return;
        for (auto it = sysctls.begin(); it != sysctls.end(); ++it) {
            if (!scalar(it->first, "a sysctl name") || !scalar(it->second, "a sysctl value"))
                continue;
            node.sysctls.push_back(
                {{it->first.Scalar(), at(it->first)}, {it->second.Scalar(), at(it->second)}});
        }
    }

    void load_outside(const YAML::Node& outside, NodeSpec& node) {
        node.outside_pos = at(outside);
        if (outside.IsScalar()) {
            node.outside.push_back({outside.Scalar(), at(outside)});
        } else if (outside.IsSequence()) {
            for (const auto& item : outside)
                if (scalar(item, "an outside interface"))
                    node.outside.push_back({item.Scalar(), at(item)});
        } else {
            diag_.error(at(outside), "'outside' must name one interface, e.g. 'outside: wan'");
        }
    }

    std::vector<Marked<Cidr>> load_subnets(const YAML::Node& subnet) {
        std::vector<Marked<Cidr>> out;
        auto one = [&](const YAML::Node& item) {
            if (!scalar(item, "'subnet'")) return;
            auto cidr = Cidr::parse(item.Scalar());
            if (!cidr) {
                diag_.error(at(item),
                            "subnet " + quote(item.Scalar()) +
                                " is not a valid CIDR; write a network and prefix length such as "
                                "10.0.1.0/24 or fd00:1::/64");
            } else if (!cidr->is_network()) {
                diag_.error(at(item), "subnet " + quote(item.Scalar()) +
                                          " has host bits set; write " + cidr->network().str());
            } else if (auto problem = unusable_subnet(*cidr); !problem.empty()) {
                diag_.error(at(item), "subnet " + quote(item.Scalar()) + " " + problem +
                                          "; use a network of its own such as " +
                                          (cidr->address.family == Family::ipv4 ? "10.0.1.0/24"
                                                                                : "fd00:1::/64"));
            } else {
                out.push_back({*cidr, at(item)});
            }
        };
        if (subnet.IsSequence()) {
            for (const auto& item : subnet) one(item);
        } else {
            one(subnet);
        }
        return out;
    }

    void load_links(const YAML::Node& links, Topology& topo) {
        if (!expect(links, YAML::NodeType::Sequence, "'links'",
                    "links: [{endpoints: [c0:eth0, nat0:lan], subnet: 10.0.1.0/24}]"))
            return;
        for (const auto& item : links) {
            LinkSpec link;
            link.pos = at(item);
            if (!expect(item, YAML::NodeType::Map, "a link", "{endpoints: [c0:eth0, nat0:lan]}"))
                continue;
            check_keys(item, kLinkKeys, "in a link");
            if (auto endpoints = field(item, "endpoints")) {
                load_endpoints(endpoints, link);
            } else {
                diag_.error(
                    link.pos,
                    "link has no 'endpoints'; add 'endpoints: [node:interface, node:interface]'");
                continue;
            }
            if (auto subnet = field(item, "subnet")) link.subnets = load_subnets(subnet);
            if (auto mtu = field(item, "mtu"); mtu && scalar(mtu, "'mtu'")) load_mtu(mtu, link);
            load_link_condition(*this, item, link.condition);
            topo.links.push_back(std::move(link));
        }
    }

    // A whole number; validation checks its range, but one beyond int is out of range already.
    void load_mtu(const YAML::Node& mtu, LinkSpec& link) {
        const std::string& text = mtu.Scalar();
        if (auto value = parse_int(text, INT_MIN, INT_MAX)) {
            link.mtu = Marked<int>{*value, at(mtu)};
        } else if (!text.empty() &&
                   text.find_first_not_of("0123456789", text[0] == '-') == std::string::npos) {
            diag_.error(at(mtu), "mtu " + text + " is out of range; use 68 to 65535");
        } else {
            diag_.error(at(mtu), "mtu " + quote(text) + " is not a number; write e.g. 'mtu: 1500'");
        }
    }

    void load_endpoints(const YAML::Node& endpoints, LinkSpec& link) {
        if (!endpoints.IsSequence() || endpoints.size() != 2) {
            diag_.error(
                at(endpoints),
                "a link joins exactly two endpoints; write 'endpoints: [c0:eth0, nat0:lan]'");
            return;
        }
        for (const auto& item : endpoints) {
            if (!scalar(item, "an endpoint")) continue;
            if (auto endpoint = parse_endpoint(item)) link.endpoints.push_back(*endpoint);
        }
    }

    // "node:interface" optionally followed by addresses: "c0:eth0 10.0.1.2/24".
    // Six groups of two characters: an Ethernet address, never an IP one.
    static bool looks_like_mac(const std::string& word) {
        return word.size() == 17 && std::count(word.begin(), word.end(), ':') == 5 &&
               word.find("::") == std::string::npos;
    }

    void load_mac(const std::string& word, SourcePos pos, const std::string& ref,
                  EndpointSpec& endpoint) {
        auto mac = MacAddress::parse(word);
        if (!mac) {
            diag_.error(pos, "MAC address " + quote(word) + " of " + quote(ref) +
                                 " is not valid; write six hex pairs, e.g. 02:00:00:00:00:01");
        } else if (mac->is_multicast() || mac->is_zero()) {
            diag_.error(pos,
                        "MAC address " + quote(word) + " of " + quote(ref) +
                            " is not an interface's (" +
                            (mac->is_zero() ? "all zero" : "multicast: the first byte is odd") +
                            "); use a unicast one, e.g. 02:00:00:00:00:01");
        } else if (endpoint.mac) {
            diag_.error(pos, "endpoint " + quote(ref) + " has a second MAC address " + quote(word) +
                                 "; an interface has one");
        } else {
            endpoint.mac = Marked<MacAddress>{*mac, pos};
        }
    }

    std::optional<EndpointSpec> parse_endpoint(const YAML::Node& scalar_node) {
        const std::string& text = scalar_node.Scalar();
        std::vector<std::pair<std::string, std::size_t>> words;  // word, offset
        for (std::size_t i = 0; i < text.size();) {
            if (text[i] == ' ' || text[i] == '\t') {
                ++i;
                continue;
            }
            std::size_t end = text.find_first_of(" \t", i);
            if (end == std::string::npos) end = text.size();
            words.emplace_back(text.substr(i, end - i), i);
            i = end;
        }
        const std::string hint =
            "; write 'node:interface', optionally followed by an address, e.g. 'c0:eth0 "
            "10.0.1.2/24', or by 'slaac'";
        if (words.empty()) {
            diag_.error(at(scalar_node), "empty endpoint" + hint);
            return std::nullopt;
        }
        auto& [ref, ref_offset] = words.front();
        auto named = NodeInterface::parse(ref);
        if (!named || names_interface(named->interface)) {
            diag_.error(at_offset(scalar_node, ref_offset),
                        "endpoint " + quote(ref) + " is not 'node:interface'" + hint);
            return std::nullopt;
        }
        EndpointSpec endpoint;
        endpoint.pos = at_offset(scalar_node, ref_offset);
        endpoint.node = {named->node, endpoint.pos};
        endpoint.interface = {named->interface,
                              at_offset(scalar_node, ref_offset + named->node.size() + 1)};
        for (std::size_t w = 1; w < words.size(); ++w) {
            const auto& [word, offset] = words[w];
            SourcePos pos = at_offset(scalar_node, offset);
            if (word == "dhcp") {
                if (endpoint.dhcp)
                    diag_.error(pos,
                                "endpoint " + quote(ref) + " says 'dhcp' twice; write it once");
                endpoint.dhcp = pos;
                continue;
            }
            if (word == "slaac") {
                endpoint.slaac = pos;
                continue;
            }
            if (looks_like_mac(word)) {
                load_mac(word, pos, ref, endpoint);
                continue;
            }
            auto slash = word.find('/');
            auto ip = IpAddress::parse(word.substr(0, slash));
            std::optional<Cidr> cidr =
                slash == std::string::npos ? std::nullopt : Cidr::parse(word);
            if (!ip || (slash != std::string::npos && !cidr)) {
                diag_.error(
                    pos, "address " + quote(word) + " of " + quote(ref) +
                             " is not valid; write an address such as 10.0.1.2/24 or 10.0.1.2, "
                             "or 'dhcp' to take the IPv4 address from the segment's DHCP server");
                continue;
            }
            std::optional<int> prefix;
            if (cidr) prefix = cidr->prefix;
            endpoint.addresses.push_back({*ip, prefix, pos});
        }
        return endpoint;
    }
};

}  // namespace

Topology load_topology(std::string_view yaml_text, const std::string& file, Diagnostics& diag) {
    Topology topo;
    topo.file = file;
    auto documents = read_yaml_documents(yaml_text, diag);
    if (!documents) return topo;
    // Silently taking the first of several would hide the rest of the file.
    for (std::size_t i = 1; i < documents->size(); ++i) {
        diag.error(at((*documents)[i]),
                   "a second YAML document starts here (after '---'); a topology "
                   "file holds one lab: remove it, or put it in a file of its own");
    }
    Loader(diag).load(documents->empty() ? YAML::Node() : documents->front(), topo);
    return topo;
}

}  // namespace natlab
