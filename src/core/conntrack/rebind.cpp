#include "core/conntrack/rebind.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "core/nat/render_nft.hpp"
#include "core/util/invalid_input.hpp"
#include "core/util/text.hpp"

namespace natlab {
namespace {

using nlohmann::json;

bool translated_l4(const ConntrackFlow& f) {
    return f.protocol == "udp" || f.protocol == "tcp";
}

// The key of an element as nft writes it: "udp . 10.0.1.2 . 5000".
std::vector<std::string> key_parts(const json& element) {
    const json* key = element.is_array() && element.size() == 2 ? &element[0] : &element;
    if (key->is_object() && key->contains("elem")) key = &(*key)["elem"]["val"];
    std::vector<std::string> parts;
    auto text = [](const json& v) { return v.is_string() ? v.get<std::string>() : v.dump(); };
    if (key->is_object() && key->contains("concat"))
        for (const auto& v : (*key)["concat"]) parts.push_back(text(v));
    else
        parts.push_back(text(*key));
    return parts;
}

std::vector<std::vector<std::string>> keys_of(const StoreListing& store) {
    std::vector<std::vector<std::string>> out;
    json j = json::parse(store.json, nullptr, false);
    if (j.is_discarded() || !j.contains("nftables")) return out;
    for (const auto& item : j["nftables"])
        if (item.contains(store.kind))
            for (const auto& e : item[store.kind].value("elem", json::array()))
                out.push_back(key_parts(e));
    return out;
}

// How many parts the store's key has, from its declared type (["inet_proto",
// "mark", "inet_service"] is 3); 0 when the listing does not say.
std::size_t key_width(const StoreListing& store) {
    json j = json::parse(store.json, nullptr, false);
    if (j.is_discarded() || !j.contains("nftables")) return 0;
    for (const auto& item : j["nftables"])
        if (item.contains(store.kind) && item[store.kind].contains("type")) {
            const json& type = item[store.kind]["type"];
            return type.is_array() ? type.size() : 1;
        }
    return 0;
}

// Whether an element of store `name` holds the mapping, by the store's key
// (see the stores in render_nft.cpp).
bool holds(const std::string& name, const std::vector<std::string>& k, const Rebinding& m) {
    const std::string ip = m.inside.ip.str(), port = std::to_string(m.inside.port),
                      ext = std::to_string(m.external_port);
    if (k.empty() || k[0] != m.protocol) return false;
    if (name == "eim" || name == "bound") return k == std::vector{m.protocol, ip, port};
    if (name == "adm") return k.size() == 4 && k[1] == ip && k[2] == port;
    // With a pool, inbound, taken, owners and peers key the external
    // address (or its index) after the protocol: any address matches, as
    // the mapping's port is one inside endpoint's on every address it holds.
    if (name == "owners")
        return k == std::vector{m.protocol, ext, ip, port} ||
               (k.size() == 5 && k[2] == ext && k[3] == ip && k[4] == port);
    if (name == "inbound" || name == "taken")
        return k == std::vector{m.protocol, ext} || (k.size() == 3 && k[2] == ext);
    if (name == "peers") return k.size() >= 3 && k.back() == ext;
    return false;  // slots: the old port's slot stays held
}

std::string element(const std::vector<std::string>& key) {
    return join(key, " . ");
}

std::optional<IpAddress> first_ipv4(const LabNode& node) {
    for (const auto& iface : node.interfaces)
        for (const auto& a : iface.addresses)
            if (a.address.family == Family::ipv4) return a.address;
    return std::nullopt;
}

std::vector<std::string> node_names(const Lab& lab) {
    std::vector<std::string> out;
    for (const auto& n : lab.nodes) out.push_back(n.name);
    return out;
}

}  // namespace

InsideFilter parse_inside_filter(const Lab& lab, const std::string& text) {
    auto colon = text.rfind(':');
    std::string host = text.substr(0, colon);
    InsideFilter out;
    if (colon != std::string::npos) {
        std::string port = text.substr(colon + 1);
        bool digits = !port.empty() && port.size() <= 5 &&
                      port.find_first_not_of("0123456789") == std::string::npos;
        int value = digits ? std::stoi(port) : 0;
        if (value < 1 || value > 65535)
            throw InvalidInput("natlab: --inside " + quote(text) + ": " + quote(port) +
                               " is not a port (1-65535); write HOST or HOST:PORT, e.g. c0:5000");
        out.port = static_cast<std::uint16_t>(value);
    }
    if (auto ip = IpAddress::parse(host); ip && ip->family == Family::ipv4) {
        out.host = *ip;
        return out;
    }
    const LabNode* node = lab.find_node(host);
    if (node) out.host = first_ipv4(*node);
    if (!out.host)
        throw InvalidInput(
            "natlab: --inside " + quote(text) + ": " + quote(host) +
            (node ? " has no IPv4 address"
                  : " is neither a node of lab " + lab.name + " nor an IPv4 address") +
            "; write HOST or HOST:PORT, e.g. c0 or 10.0.1.2:5000" +
            (node ? "" : did_you_mean(host, node_names(lab))));
    return out;
}

std::string rebind_refusal(const NatNode& nat, const std::string& name) {
    if (nat.behaviour.one_to_one)
        return name + " is a one-to-one NAT: every port of " + nat.behaviour.one_to_one->str() +
               " keeps its number for good, so there is no mapping to move; rebind needs a NAT "
               "that gives out ports";
    if (!nat.behaviour.plain_masquerade()) return "";
    return name +
           " is the kernel's plain masquerade, which keeps no bindings of its own: the kernel "
           "would give a flow its old port straight back; rebind needs a NAT with natlab's rules "
           "(any type but masquerade)";
}

std::vector<Rebinding> live_mappings(const std::vector<ConntrackFlow>& flows,
                                     const InsideFilter& who) {
    std::vector<Rebinding> out;
    for (const auto& f : flows) {
        if (!f.src_nat || f.dst_nat || !translated_l4(f) || !who.matches(f.original.src)) continue;
        Rebinding m{f.protocol, f.original.src, f.reply.dst.port};
        if (std::find(out.begin(), out.end(), m) == out.end()) out.push_back(m);
    }
    return out;
}

bool passes_through(const ConntrackFlow& f, const Rebinding& m) {
    bool outbound = f.original.src == m.inside && f.reply.dst.port == m.external_port;
    bool inbound = f.reply.src == m.inside && f.original.dst.port == m.external_port;
    return f.protocol == m.protocol && (outbound || inbound);
}

std::vector<ConntrackFlow> flows_through(const std::vector<ConntrackFlow>& flows,
                                         const std::vector<Rebinding>& moves) {
    std::vector<ConntrackFlow> out;
    for (const auto& f : flows)
        if (std::any_of(moves.begin(), moves.end(),
                        [&f](const Rebinding& m) { return passes_through(f, m); }))
            out.push_back(f);
    return out;
}

std::string render_forget(const std::vector<StoreListing>& stores,
                          const std::vector<Rebinding>& moves, int hold_s) {
    const std::string table = std::string(" ip ") + kNatTable + " ";
    const std::string hold = " timeout " + std::to_string(hold_s) + "s";
    std::string text, held;
    for (const auto& store : stores) {
        for (const auto& key : keys_of(store))
            for (const auto& m : moves)
                if (holds(store.name, key, m)) {
                    text += "delete element" + table + store.name + " { " + element(key) + " }\n";
                    // The old port stays held on its address (a pool keys
                    // the address too): the element goes back, timed.
                    if (store.name == "taken" && key.size() == 3)
                        held += "add element" + table + "taken { " + element(key) + hold + " }\n";
                    break;
                }
        // Not learnt (yet): held all the same, unless the key holds the pool
        // address's index too (which one is not known here).
        if (store.name != "taken" || !held.empty() || key_width(store) == 3) continue;
        for (const auto& m : moves)
            held += "add element" + table + "taken { " + m.protocol + " . " +
                    std::to_string(m.external_port) + hold + " }\n";
    }
    return text + held;
}

std::string render_pause(const std::vector<std::string>& matches) {
    const std::string chain = std::string("ip ") + kNatTable + " pause";
    // Priority raw comes before conntrack: what is dropped here leaves no state.
    std::string text =
        "add chain " + chain + " { type filter hook prerouting priority raw; policy accept; }\n";
    if (matches.empty()) return text + "add rule " + chain + " drop\n";
    for (const auto& m : matches) text += "add rule " + chain + " " + m + " drop\n";
    return text;
}

std::string render_resume() {
    return std::string("delete chain ip ") + kNatTable + " pause\n";
}

std::vector<std::string> pause_matches(const std::vector<Rebinding>& moves,
                                       const IpAddress& external) {
    std::vector<std::string> out;
    for (const auto& m : moves) {
        out.push_back("ip saddr " + m.inside.ip.str() + " " + m.protocol + " sport " +
                      std::to_string(m.inside.port));
        out.push_back("ip daddr " + external.str() + " " + m.protocol + " dport " +
                      std::to_string(m.external_port));
    }
    return out;
}

}  // namespace natlab
