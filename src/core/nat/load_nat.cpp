#include "core/nat/load_nat.hpp"

namespace natlab {

const std::vector<std::string>& nat_behaviour_keys() {
    static const std::vector<std::string> keys = {"type",
                                                  "mapping",
                                                  "filtering",
                                                  "hairpinning",
                                                  "port-preservation",
                                                  "port-range",
                                                  "udp-timeout",
                                                  "forwards",
                                                  "exclude",
                                                  "firewall",
                                                  "port-allocation",
                                                  "preset",
                                                  "pool",
                                                  "pooling",
                                                  "allow-outbound",
                                                  "port-block",
                                                  "one-to-one",
                                                  "port-mapping",
                                                  "ipv6",
                                                  "nat64",
                                                  "isolate-inside"};
    return keys;
}

namespace {

void load_optional(YamlReader& reader, const YAML::Node& body, const char* key,
                   std::optional<Marked<std::string>>& out) {
    if (auto value = field(body, key); value && reader.scalar(value, "'" + std::string(key) + "'"))
        out = reader.marked(value);
}

void load_udp_timeout(YamlReader& reader, const YAML::Node& timeout, NatSpec& nat) {
    if (!reader.expect(timeout, YAML::NodeType::Map, "'udp-timeout'",
                       "udp-timeout: {unreplied: 30, established: 120}"))
        return;
    reader.check_keys(timeout, {"unreplied", "established"}, "in 'udp-timeout'");
    load_optional(reader, timeout, "unreplied", nat.udp_unreplied);
    load_optional(reader, timeout, "established", nat.udp_established);
}

void load_forwards(YamlReader& reader, const YAML::Node& forwards, NatSpec& nat) {
    if (!reader.expect(forwards, YAML::NodeType::Map, "'forwards'",
                       "forwards: {udp/5000: c0:5000, tcp/8080: 10.0.1.1:80}"))
        return;
    for (auto it = forwards.begin(); it != forwards.end(); ++it) {
        if (!reader.scalar(it->first, "a forwarded port") ||
            !reader.scalar(it->second, "a forward target"))
            continue;
        nat.forwards.emplace_back(reader.marked(it->first), reader.marked(it->second));
    }
}

// The keys that say how a NAT maps, filters and chooses ports, and how long
// its bindings live: a node's, or those under its 'ipv6:'.
void load_classes(YamlReader& reader, const YAML::Node& map, NatSpec& nat) {
    load_optional(reader, map, "type", nat.type);
    load_optional(reader, map, "mapping", nat.mapping);
    load_optional(reader, map, "filtering", nat.filtering);
    load_optional(reader, map, "hairpinning", nat.hairpinning);
    load_optional(reader, map, "port-preservation", nat.port_preservation);
    load_optional(reader, map, "port-allocation", nat.port_allocation);
    load_optional(reader, map, "port-range", nat.port_range);
    if (auto timeout = field(map, "udp-timeout")) load_udp_timeout(reader, timeout, nat);
}

// The keys the NAT behaviour of each mode may take under 'ipv6:'.
const std::vector<std::string> kIpv6Keys = {"mode",
                                            "prefix",
                                            "echo",
                                            "type",
                                            "mapping",
                                            "filtering",
                                            "hairpinning",
                                            "port-preservation",
                                            "port-allocation",
                                            "port-range",
                                            "udp-timeout"};

std::optional<Ipv6Spec> load_ipv6(YamlReader& reader, const YAML::Node& value) {
    Ipv6Spec side;
    side.pos = at(value);
    if (value.IsScalar()) {
        side.mode = reader.marked(value);
        return side;
    }
    if (!reader.expect(value, YAML::NodeType::Map, "'ipv6'",
                       "ipv6: firewall, or ipv6: {mode: nat66, type: symmetric}"))
        return std::nullopt;
    reader.check_keys(value, kIpv6Keys, "in 'ipv6'");
    load_optional(reader, value, "mode", side.mode);
    load_optional(reader, value, "prefix", side.prefix);
    load_optional(reader, value, "echo", side.echo);
    load_classes(reader, value, side.nat);
    return side;
}

std::optional<Nat64Spec> load_nat64(YamlReader& reader, const YAML::Node& value) {
    Nat64Spec nat64;
    nat64.pos = at(value);
    if (value.IsScalar()) {
        nat64.enabled = reader.marked(value);
        return nat64;
    }
    if (!reader.expect(value, YAML::NodeType::Map, "'nat64'",
                       "nat64: true, or nat64: {prefix: 2001:db8:64::/96, pool: 192.168.255.0/24}"))
        return std::nullopt;
    reader.check_keys(value, {"prefix", "pool"}, "in 'nat64'");
    load_optional(reader, value, "prefix", nat64.prefix);
    load_optional(reader, value, "pool", nat64.pool);
    return nat64;
}

}  // namespace

std::optional<Ipv6Spec> load_ipv6_side(YamlReader& reader, const YAML::Node& node_body) {
    auto value = field(node_body, "ipv6");
    return value ? load_ipv6(reader, value) : std::nullopt;
}

void load_nat(YamlReader& reader, const YAML::Node& body, NatSpec& nat) {
    load_classes(reader, body, nat);
    load_optional(reader, body, "firewall", nat.firewall);
    load_optional(reader, body, "isolate-inside", nat.isolate_inside);
    if (auto forwards = field(body, "forwards")) load_forwards(reader, forwards, nat);
    if (auto exclude = field(body, "exclude")) nat.exclude = reader.scalars(exclude, "'exclude'");
    load_optional(reader, body, "preset", nat.preset);
    if (auto pool = field(body, "pool")) nat.pool = reader.scalars(pool, "'pool'");
    load_optional(reader, body, "pooling", nat.pooling);
    load_optional(reader, body, "port-block", nat.port_block);
    load_optional(reader, body, "one-to-one", nat.one_to_one);
    if (auto protocols = field(body, "port-mapping"))
        nat.port_mapping = reader.scalars(protocols, "'port-mapping'");
    if (auto allowed = field(body, "allow-outbound"))
        nat.allow_outbound = reader.scalars(allowed, "'allow-outbound'");
    if (auto nat64 = field(body, "nat64")) nat.nat64 = load_nat64(reader, nat64);
}

}  // namespace natlab
