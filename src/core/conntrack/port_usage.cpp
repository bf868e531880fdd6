#include "core/conntrack/port_usage.hpp"

namespace natlab {
namespace {

using nlohmann::json;

const json* find_object(const json& document, const char* kind, const char* name) {
    if (!document.contains("nftables")) return nullptr;
    for (const auto& item : document["nftables"])
        if (item.contains(kind) && item[kind].value("name", "") == name) return &item[kind];
    return nullptr;
}

// An element is either the value itself or {"elem": {"val": ..., ...}}.
const json& value_of(const json& e) {
    return e.is_object() && e.contains("elem") ? e["elem"]["val"] : e;
}

// (protocol, port) of each element of @taken (keyed protocol . port, or
// protocol . pool index . port with a pool); nothing when there is no set.
std::optional<std::vector<std::pair<std::string, int>>> taken_ports(const std::string& taken_json) {
    json taken = json::parse(taken_json, nullptr, false);
    const json* set = taken.is_discarded() ? nullptr : find_object(taken, "set", "taken");
    if (!set) return std::nullopt;
    std::vector<std::pair<std::string, int>> ports;
    for (const auto& e : set->value("elem", json::array())) {
        const json& v = value_of(e);
        if (!v.contains("concat") || v["concat"].size() < 2) continue;
        const json &protocol = v["concat"].front(), &port = v["concat"].back();
        if (protocol.is_string() && port.is_number_integer())
            ports.emplace_back(protocol.get<std::string>(), port.get<int>());
    }
    return ports;
}

}  // namespace

std::set<std::uint16_t> ports_in_use(const std::vector<ConntrackFlow>& flows,
                                     const std::string& taken_json) {
    std::set<std::uint16_t> ports;
    // An answer comes back to the reply tuple's destination: the outside
    // port of a translated flow, the unchanged source port of any other.
    for (const auto& flow : flows)
        if (flow.reply.dst.port != 0) ports.insert(flow.reply.dst.port);
    if (auto taken = taken_ports(taken_json))
        for (const auto& [protocol, port] : *taken) ports.insert(static_cast<std::uint16_t>(port));
    return ports;
}

bool PortUsage::exhausted(const std::string& protocol) const {
    auto it = held.find(protocol);
    return it != held.end() && it->second >= size();
}

std::optional<PortUsage> port_usage(const std::string& taken_json, const std::string& counter_json,
                                    const NatBehaviour& behaviour) {
    auto held = taken_ports(taken_json);
    if (!held) return std::nullopt;
    PortUsage usage{behaviour.allocation_range(),
                    {},
                    0,
                    behaviour.pooled() ? static_cast<int>(behaviour.pool.size()) : 1};
    for (const auto& [protocol, port] : *held)
        if (port >= usage.range.first && port <= usage.range.last) ++usage.held[protocol];
    json counter = json::parse(counter_json, nullptr, false);
    if (const json* c =
            counter.is_discarded() ? nullptr : find_object(counter, "counter", "refused"))
        usage.refused = c->value("packets", 0L);
    return usage;
}

std::string describe_port_usage(const PortUsage& u) {
    std::string text =
        "ports of " + std::to_string(u.range.first) + "-" + std::to_string(u.range.last) + " held:";
    const char* separator = " ";
    for (const std::string protocol : {"udp", "tcp"}) {
        auto it = u.held.find(protocol);
        text += separator + protocol + " " + std::to_string(it == u.held.end() ? 0 : it->second) +
                " of " + std::to_string(u.size());
        if (u.exhausted(protocol))
            text +=
                " (exhausted: new " + protocol + " mappings are refused until a binding expires)";
        separator = ", ";
    }
    return text + "; " + std::to_string(u.refused) + " new flow" + (u.refused == 1 ? "" : "s") +
           " refused (given a port another inside endpoint holds, or none was free)\n";
}

json port_usage_json(const PortUsage& u) {
    json exhausted = json::array();
    for (const char* protocol : {"udp", "tcp"})
        if (u.exhausted(protocol)) exhausted.push_back(protocol);
    return {{"range", {u.range.first, u.range.last}},
            {"size", u.size()},
            {"held", u.held},
            {"exhausted", exhausted},
            {"refused", u.refused}};
}

}  // namespace natlab
