#include "core/conntrack/mapping_table.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <sstream>
#include <tuple>

#include "core/nat/ipv6_classes.hpp"
#include "core/util/json.hpp"

namespace natlab {
namespace {

using nlohmann::json;

// An element is either the value itself or {"elem": {"val": ..., "expires": N}}.
const json& element_value(const json& e, std::optional<int>& expires) {
    if (e.is_object() && e.contains("elem")) {
        const json& inner = e["elem"];
        if (inner.contains("expires")) expires = inner["expires"].get<int>();
        return inner["val"];
    }
    return e;
}

std::optional<Endpoint> endpoint_of(const json& address, const json& port) {
    if (!address.is_string() || !port.is_number_integer()) return std::nullopt;
    auto ip = IpAddress::parse(address.get<std::string>());
    if (!ip) return std::nullopt;
    return Endpoint{*ip, port.get<std::uint16_t>()};
}

// @eim: protocol . inside address . inside port : outside address . outside port
void read_bindings(const json& map, NatState& state) {
    for (const auto& pair : map.value("elem", json::array())) {
        if (!pair.is_array() || pair.size() != 2) continue;
        std::optional<int> expires;
        const json& key = element_value(pair[0], expires);
        const json& value = pair[1];
        if (!key.contains("concat") || !value.contains("concat")) continue;
        const json &k = key["concat"], &v = value["concat"];
        if (k.size() != 3 || v.size() != 2) continue;
        auto inside = endpoint_of(k[1], k[2]);
        auto outside = endpoint_of(v[0], v[1]);
        if (inside && outside)
            state.bindings.push_back({k[0].get<std::string>(), *inside, *outside, expires});
    }
}

// @peers: protocol . remote address . outside port
void read_peers(const json& set, NatState& state) {
    for (const auto& e : set.value("elem", json::array())) {
        std::optional<int> expires;
        const json& key = element_value(e, expires);
        if (!key.contains("concat") || key["concat"].size() != 3) continue;
        const json& k = key["concat"];
        auto remote = endpoint_of(k[1], k[2]);
        if (remote)
            state.peers.push_back(
                {k[0].get<std::string>(), remote->ip, remote->port, std::nullopt, expires});
    }
}

// "eim", or "eim_en0": a further outside's (outside_object_suffix).
bool is_object(const json& item, const char* kind, const std::string& name) {
    if (!item.contains(kind)) return false;
    const std::string named = item[kind].value("name", "");
    return named == name || named.starts_with(name + "_");
}

void read_document(const json& j, NatState& state) {
    for (const auto& item : j["nftables"]) {
        if (is_object(item, "map", "eim")) read_bindings(item["map"], state);
        if (is_object(item, "set", "peers")) read_peers(item["set"], state);
    }
}

using RowKey = std::tuple<std::string, Endpoint, Endpoint>;

std::string join_words(const std::vector<std::string>& parts) {
    std::string out;
    for (const auto& p : parts) out += (out.empty() ? "" : ", ") + p;
    return out;
}

// A forward written "filtered" admits what the filtering admits, so its
// inbound flows say nothing of who else may come in.
bool filtered_forward(const MappingRow& row, const NatBehaviour& behaviour) {
    return std::any_of(behaviour.forwards.begin(), behaviour.forwards.end(), [&](auto& f) {
        return f.filtered && name_of(f.protocol) == row.protocol &&
               f.external_port == row.outside.port;
    });
}

std::string allowed_in(const MappingRow& row, const NatState& state,
                       const NatBehaviour& behaviour) {
    const Dependence filtering = behaviour.mf.filtering;
    bool all_inbound = !row.peers.empty() && std::all_of(row.peers.begin(), row.peers.end(),
                                                         [](auto& p) { return p.inbound; });
    if (filtering == Dependence::endpoint_independent) return "anyone";
    if (all_inbound && !filtered_forward(row, behaviour)) return "anyone (a static forward)";
    if (filtering == Dependence::address_dependent) {
        std::set<std::string> addresses;
        for (const auto& p : state.peers)
            if (p.protocol == row.protocol && p.outside_port == row.outside.port &&
                (!p.outside_address || *p.outside_address == row.outside.ip))
                addresses.insert(p.remote.str());
        for (const auto& p : row.peers) addresses.insert(p.remote.ip.str());
        if (addresses.empty()) return "nobody (it has sent to no one lately)";
        return "any port of " + join_words({addresses.begin(), addresses.end()});
    }
    std::vector<std::string> endpoints;
    for (const auto& p : row.peers) endpoints.push_back(p.remote.str());
    if (endpoints.empty()) return "nobody (no live flow)";
    return "only " + join_words(endpoints);
}

std::optional<int> time_left(const MappingRow& row) {
    std::optional<int> left = row.binding_expires_s;
    for (const auto& p : row.peers)
        if (p.timeout_s && (!left || *p.timeout_s > *left)) left = p.timeout_s;
    return left;
}

std::string peer_words(const MappingPeer& p) {
    std::string s = p.inbound ? "came in" : p.replied ? "answered" : "no reply yet";
    if (p.timeout_s) s += ", flow forgotten in " + std::to_string(*p.timeout_s) + " s";
    return s;
}

}  // namespace

NatState parse_nat_state(const std::vector<std::string>& nft_json_documents) {
    NatState state;
    for (const auto& document : nft_json_documents) {
        json j = json::parse(document, nullptr, false);
        if (!j.is_discarded() && j.contains("nftables")) read_document(j, state);
    }
    return state;
}

namespace {

class RowBuilder {
  public:
    MappingRow& row(const std::string& protocol, const Endpoint& inside, const Endpoint& outside) {
        MappingRow& r = rows_[{protocol, inside, outside}];
        r.protocol = protocol;
        r.inside = inside;
        r.outside = outside;
        return r;
    }
    std::vector<MappingRow> finish(const NatState& state, const NatBehaviour& behaviour,
                                   bool translated) {
        std::vector<MappingRow> out;
        for (auto& [key, r] : rows_) {
            r.allowed_in = allowed_in(r, state, behaviour);
            r.permanent = behaviour.one_to_one.has_value();
            r.translated = translated;
            out.push_back(std::move(r));
        }
        return out;
    }

  private:
    std::map<RowKey, MappingRow> rows_;
};

bool carries_ports(const ConntrackFlow& flow) {
    return flow.protocol == "udp" || flow.protocol == "tcp";
}

// The rows of translated flows of one family.
std::vector<MappingRow> translated_rows(const std::vector<ConntrackFlow>& flows, Family family,
                                        const NatState& state, const NatBehaviour& behaviour) {
    RowBuilder rows;
    for (const auto& flow : flows) {
        auto t = translation_of(flow);
        if (!t || !carries_ports(flow) || flow.original.src.ip.family != family) continue;
        rows.row(flow.protocol, t->inside, t->outside)
            .peers.push_back({t->remote, t->inbound, flow.replied, flow.timeout_s});
    }
    for (const auto& b : state.bindings)
        if (b.inside.ip.family == family)
            rows.row(b.protocol, b.inside, b.outside).binding_expires_s = b.expires_s;
    return rows.finish(state, behaviour, true);
}

bool inside(const Ipv6Side& side, const IpAddress& ip) {
    return std::any_of(side.inside_networks.begin(), side.inside_networks.end(),
                       [&](const Cidr& network) { return network.contains(ip); });
}

}  // namespace

std::vector<MappingRow> mapping_table(const std::vector<ConntrackFlow>& flows,
                                      const NatState& state, const NatBehaviour& behaviour) {
    return translated_rows(flows, Family::ipv4, state, behaviour);
}

std::vector<MappingRow> ipv6_mapping_table(const std::vector<ConntrackFlow>& flows,
                                           const NatState& state, const Ipv6Side& side) {
    const NatBehaviour behaviour = ipv6_effective_behaviour(side);
    if (ipv6_translates(side)) return translated_rows(flows, Family::ipv6, state, behaviour);
    RowBuilder rows;
    for (const auto& flow : flows) {
        if (!carries_ports(flow) || flow.original.src.ip.family != Family::ipv6) continue;
        if (translation_of(flow)) continue;
        const FlowTuple& o = flow.original;
        // Out from an inside endpoint, or in to one (admitted by the filter).
        if (inside(side, o.src.ip) && !inside(side, o.dst.ip))
            rows.row(flow.protocol, o.src, o.src)
                .peers.push_back({o.dst, false, flow.replied, flow.timeout_s});
        else if (inside(side, o.dst.ip) && !inside(side, o.src.ip))
            rows.row(flow.protocol, o.dst, o.dst)
                .peers.push_back({o.src, true, flow.replied, flow.timeout_s});
    }
    return rows.finish(state, behaviour, false);
}

std::string behaviour_words(const NatBehaviour& nat) {
    return behaviour_name(nat) + " (" + name_of(nat.mf.mapping) + " mapping, " +
           name_of(nat.mf.filtering) + " filtering)";
}

std::string render_mapping_table(const std::vector<MappingRow>& rows, const PeerNames& names) {
    std::ostringstream out;
    for (const auto& row : rows) {
        out << row.protocol << " " << names.inside_endpoint(row.inside);
        if (row.translated)
            out << " -> " << row.outside.str();
        else
            out << " (not translated)";
        if (row.permanent)
            out << "   mapping is static (one-to-one)";
        else if (auto left = time_left(row))
            out << (row.translated ? "   mapping lives " : "   open ") << *left << " s more";
        if (row.binding_expires_s) out << " (binding kept " << *row.binding_expires_s << " s)";
        out << "\n";
        for (const auto& p : row.peers)
            out << "    peer " << names.remote_endpoint(p.remote) << ": " << peer_words(p) << "\n";
        if (row.peers.empty()) out << "    no live flow: the binding alone keeps the port\n";
        out << "    allowed in: " << row.allowed_in << "\n";
    }
    return out.str();
}

json mapping_table_json(const std::vector<MappingRow>& rows, const PeerNames& names) {
    json out = json::array();
    for (const auto& row : rows) {
        json peers = json::array();
        for (const auto& p : row.peers) {
            PeerName name = names.remote(p.remote.ip);
            auto text_or_null = [](const std::string& s) { return s.empty() ? json() : json(s); };
            peers.push_back({{"remote", p.remote},
                             {"node", text_or_null(name.node)},
                             {"name", text_or_null(name.name)},
                             {"via", text_or_null(name.via)},
                             {"behind", text_or_null(name.behind)},
                             {"reachable", or_null(name.reachable)},
                             {"direction", p.inbound ? "inbound" : "outbound"},
                             {"replied", p.replied},
                             {"timeout", or_null(p.timeout_s)}});
        }
        out.push_back({{"protocol", row.protocol},
                       {"inside", row.inside},
                       {"inside_node", or_null(names.inside_node(row.inside.ip))},
                       {"outside", row.outside},
                       {"peers", peers},
                       {"binding_expires", or_null(row.binding_expires_s)},
                       {"time_left", row.permanent ? json(nullptr) : or_null(time_left(row))},
                       {"static", row.permanent},
                       {"translated", row.translated},
                       {"allowed_in", row.allowed_in}});
    }
    return out;
}

}  // namespace natlab
