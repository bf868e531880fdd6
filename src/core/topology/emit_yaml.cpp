#include "core/topology/emit_yaml.hpp"
#include "core/topology/node_interface.hpp"

#include <yaml-cpp/yaml.h>

namespace natlab {
namespace {

void optional_key(YAML::Emitter& out, const char* key,
                  const std::optional<Marked<std::string>>& value) {
    if (value) out << YAML::Key << key << YAML::Value << value->value;
}

void scalar_list(YAML::Emitter& out, const char* key,
                 const std::optional<std::vector<Marked<std::string>>>& values) {
    if (!values) return;
    out << YAML::Key << key << YAML::Value << YAML::Flow << YAML::BeginSeq;
    for (const auto& v : *values) out << v.value;
    out << YAML::EndSeq;
}

void container(YAML::Emitter& out, const ContainerSpec& c) {
    out << YAML::Key << "container" << YAML::Value;
    if (c.enabled) {
        out << (c.enabled->value ? "true" : "false");
        return;
    }
    out << YAML::BeginMap;
    optional_key(out, "root", c.root);
    optional_key(out, "ephemeral", c.ephemeral);
    optional_key(out, "boot", c.boot);
    optional_key(out, "ready-timeout", c.ready_timeout);
    if (c.command) {
        out << YAML::Key << "command" << YAML::Value << YAML::Flow << YAML::BeginSeq;
        for (const auto& arg : c.command->value) out << arg;
        out << YAML::EndSeq;
    }
    scalar_list(out, "capabilities", c.capabilities);
    scalar_list(out, "binds", c.binds);
    if (c.env) {
        out << YAML::Key << "env" << YAML::Value << YAML::BeginMap;
        for (const auto& [name, value] : *c.env)
            out << YAML::Key << name.value << YAML::Value << value.value;
        out << YAML::EndMap;
    }
    out << YAML::EndMap;
}

void dns_key(YAML::Emitter& out, const DnsSpec& d) {
    out << YAML::Key << "dns" << YAML::Value;
    if (!d.dns64 && d.records.empty()) {
        out << "true";
        return;
    }
    out << YAML::BeginMap;
    if (d.dns64) out << YAML::Key << "dns64" << YAML::Value << d.dns64->value.str();
    if (!d.records.empty()) {
        out << YAML::Key << "records" << YAML::Value << YAML::BeginMap;
        for (const auto& r : d.records) {
            out << YAML::Key << r.name.value << YAML::Value << YAML::Flow << YAML::BeginSeq;
            for (const auto& a : r.addresses) out << a.value.str();
            out << YAML::EndSeq;
        }
        out << YAML::EndMap;
    }
    out << YAML::EndMap;
}

bool writes_no_behaviour(const NatSpec& n) {
    return !n.type && !n.mapping && !n.filtering && !n.hairpinning && !n.port_preservation &&
           !n.port_allocation && !n.port_range && !n.firewall && !n.udp_unreplied &&
           !n.udp_established;
}

// The keys that say how a NAT maps and filters: a node's, or under its 'ipv6'.
void behaviour_keys(YAML::Emitter& out, const NatSpec& n) {
    optional_key(out, "type", n.type);
    optional_key(out, "mapping", n.mapping);
    optional_key(out, "filtering", n.filtering);
    optional_key(out, "hairpinning", n.hairpinning);
    optional_key(out, "port-preservation", n.port_preservation);
    optional_key(out, "port-allocation", n.port_allocation);
    optional_key(out, "port-range", n.port_range);
    optional_key(out, "firewall", n.firewall);
    if (n.udp_unreplied || n.udp_established) {
        out << YAML::Key << "udp-timeout" << YAML::Value << YAML::Flow << YAML::BeginMap;
        optional_key(out, "unreplied", n.udp_unreplied);
        optional_key(out, "established", n.udp_established);
        out << YAML::EndMap;
    }
}

void ipv6_key(YAML::Emitter& out, const Ipv6Spec& side) {
    out << YAML::Key << "ipv6" << YAML::Value;
    const bool mode_alone =
        side.mode && !side.prefix && !side.echo && writes_no_behaviour(side.nat);
    if (mode_alone) {
        out << side.mode->value;
        return;
    }
    out << YAML::Flow << YAML::BeginMap;
    optional_key(out, "mode", side.mode);
    optional_key(out, "prefix", side.prefix);
    optional_key(out, "echo", side.echo);
    behaviour_keys(out, side.nat);
    out << YAML::EndMap;
}

void nat(YAML::Emitter& out, const NatSpec& n) {
    behaviour_keys(out, n);
    if (!n.forwards.empty()) {
        out << YAML::Key << "forwards" << YAML::Value << YAML::Flow << YAML::BeginMap;
        for (const auto& [port, target] : n.forwards)
            out << YAML::Key << port.value << YAML::Value << target.value;
        out << YAML::EndMap;
    }
    if (!n.exclude.empty()) scalar_list(out, "exclude", n.exclude);
    optional_key(out, "preset", n.preset);
    optional_key(out, "isolate-inside", n.isolate_inside);
    if (n.pool) scalar_list(out, "pool", *n.pool);
    optional_key(out, "pooling", n.pooling);
    optional_key(out, "port-block", n.port_block);
    optional_key(out, "one-to-one", n.one_to_one);
    scalar_list(out, "port-mapping", n.port_mapping);
    if (n.allow_outbound) {  // an empty list means something: nothing goes out
        out << YAML::Key << "allow-outbound" << YAML::Value << YAML::Flow << YAML::BeginSeq;
        for (const auto& port : *n.allow_outbound) out << port.value;
        out << YAML::EndSeq;
    }
    if (n.nat64) {
        out << YAML::Key << "nat64" << YAML::Value;
        if (n.nat64->enabled) {
            out << n.nat64->enabled->value;
        } else {
            out << YAML::Flow << YAML::BeginMap;
            optional_key(out, "prefix", n.nat64->prefix);
            optional_key(out, "pool", n.nat64->pool);
            out << YAML::EndMap;
        }
    }
}

void subnets(YAML::Emitter& out, const char* key, const std::vector<Marked<Cidr>>& nets) {
    if (nets.empty()) return;
    out << YAML::Key << key << YAML::Value << YAML::Flow << YAML::BeginSeq;
    for (const auto& s : nets) out << s.value.str();
    out << YAML::EndSeq;
}

void node(YAML::Emitter& out, const NodeSpec& n) {
    out << YAML::Key << n.name.value << YAML::Value << YAML::BeginMap;
    out << YAML::Key << "kind" << YAML::Value << name_of(n.kind.value);
    if (!n.routes.empty()) {
        out << YAML::Key << "routes" << YAML::Value << YAML::Flow << YAML::BeginMap;
        for (const auto& r : n.routes)
            out << YAML::Key << (r.destination ? r.destination->str() : "default") << YAML::Value
                << r.via.value;
        out << YAML::EndMap;
    }
    if (!n.sysctls.empty()) {
        out << YAML::Key << "sysctls" << YAML::Value << YAML::BeginMap;
        for (const auto& s : n.sysctls)
            out << YAML::Key << s.key.value << YAML::Value << s.value.value;
        out << YAML::EndMap;
    }
    if (!n.outside.empty()) {
        out << YAML::Key << "outside" << YAML::Value << YAML::Flow << YAML::BeginSeq;
        for (const auto& o : n.outside) out << o.value;
        out << YAML::EndSeq;
    }
    if (!n.nd_proxy.empty()) {
        out << YAML::Key << "nd-proxy" << YAML::Value << YAML::Flow << YAML::BeginSeq;
        for (const auto& i : n.nd_proxy) out << i.value;
        out << YAML::EndSeq;
    }
    if (!n.ra.empty()) {
        out << YAML::Key << "ra" << YAML::Value << YAML::Flow << YAML::BeginSeq;
        for (const auto& i : n.ra) out << i.value;
        out << YAML::EndSeq;
    }
    if (!n.dhcp.empty()) {
        out << YAML::Key << "dhcp" << YAML::Value << YAML::BeginMap;
        for (const auto& d : n.dhcp) {
            out << YAML::Key << d.interface.value << YAML::Value << YAML::Flow << YAML::BeginMap;
            if (d.range) out << YAML::Key << "range" << YAML::Value << d.range->value;
            if (d.lease) out << YAML::Key << "lease" << YAML::Value << d.lease->value;
            out << YAML::EndMap;
        }
        out << YAML::EndMap;
    }
    subnets(out, "subnet", n.subnets);
    if (!n.port_security.empty()) {
        out << YAML::Key << "port-security" << YAML::Value << YAML::BeginMap;
        for (const auto& p : n.port_security) {
            out << YAML::Key << p.port.value << YAML::Value << YAML::Flow << YAML::BeginMap;
            optional_key(out, "forged-transmits", p.forged_transmits);
            optional_key(out, "mac-changes", p.mac_changes);
            optional_key(out, "promiscuous", p.promiscuous);
            out << YAML::EndMap;
        }
        out << YAML::EndMap;
    }
    if (n.kind.value == NodeKind::nat) nat(out, n.nat);
    if (n.ipv6) ipv6_key(out, *n.ipv6);
    if (n.container) container(out, *n.container);
    if (n.dns) dns_key(out, *n.dns);
    out << YAML::EndMap;
}

// "nat0:wan 100.64.1.100/24": the interface, then every written address
// and its MAC.
std::string endpoint(const EndpointSpec& e) {
    std::string text = NodeInterface{e.node.value, e.interface.value}.str();
    for (const auto& a : e.addresses)
        text += " " + a.address.str() + (a.prefix ? "/" + std::to_string(*a.prefix) : "");
    if (e.slaac) text += " slaac";
    if (e.mac) text += " " + e.mac->value.str();
    if (e.dhcp) text += " dhcp";
    return text;
}

void condition_values(YAML::Emitter& out, const ConditionSpec& c) {
    const std::pair<const char*, const std::optional<Marked<std::string>>*> keys[] = {
        {"delay", &c.delay},     {"jitter", &c.jitter},   {"loss", &c.loss},
        {"rate", &c.rate},       {"reorder", &c.reorder}, {"duplicate", &c.duplicate},
        {"corrupt", &c.corrupt}, {"limit", &c.limit}};
    for (const auto& [key, value] : keys)
        if (*value) out << YAML::Key << key << YAML::Value << (*value)->value;
}

void condition(YAML::Emitter& out, const LinkConditionSpec& c) {
    if (c.preset) out << YAML::Key << "preset" << YAML::Value << c.preset->value;
    condition_values(out, c.both);
    if (c.from.empty()) return;
    out << YAML::Key << "from" << YAML::Value << YAML::Flow << YAML::BeginMap;
    for (const auto& d : c.from) {
        out << YAML::Key << d.endpoint.value << YAML::Value << YAML::Flow << YAML::BeginMap;
        condition_values(out, d.condition);
        out << YAML::EndMap;
    }
    out << YAML::EndMap;
}

void link(YAML::Emitter& out, const LinkSpec& l) {
    out << YAML::Flow << YAML::BeginMap;
    out << YAML::Key << "endpoints" << YAML::Value << YAML::Flow << YAML::BeginSeq;
    for (const auto& e : l.endpoints) out << endpoint(e);
    out << YAML::EndSeq;
    subnets(out, "subnet", l.subnets);
    if (l.mtu) out << YAML::Key << "mtu" << YAML::Value << l.mtu->value;
    condition(out, l.condition);
    out << YAML::EndMap;
}

}  // namespace

std::string emit_yaml(const Topology& topo) {
    YAML::Emitter out;
    out << YAML::BeginMap;
    out << YAML::Key << "name" << YAML::Value << topo.name.value;
    if (topo.probe_server)
        out << YAML::Key << "probe-server" << YAML::Value << topo.probe_server->value;
    if (topo.container) container(out, *topo.container);
    out << YAML::Key << "nodes" << YAML::Value << YAML::BeginMap;
    for (const auto& n : topo.nodes) node(out, n);
    out << YAML::EndMap;
    out << YAML::Key << "links" << YAML::Value << YAML::BeginSeq;
    for (const auto& l : topo.links) link(out, l);
    out << YAML::EndSeq << YAML::EndMap;
    return std::string(out.c_str(), out.size()) + "\n";
}

}  // namespace natlab
