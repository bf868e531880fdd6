#include "core/punch/matrix_types.hpp"

#include <algorithm>
#include <map>

#include "core/nat/nat_presets.hpp"
#include "core/util/invalid_input.hpp"
#include "core/util/text.hpp"

namespace natlab {
namespace {

struct Base {
    const char* name;
    const char* key;
};
constexpr Base kClassic[] = {{"full-cone", "full"},
                             {"restricted-cone", "rc"},
                             {"port-restricted-cone", "prc"},
                             {"symmetric", "sym"},
                             {"masquerade", "masq"}};

// Presets by short keys: host names become interface names (15 characters).
constexpr Base kPresets[] = {{"home-router", "home"},   {"cgnat", "cgn"},
                             {"mobile-carrier", "mob"}, {"enterprise-firewall", "ent"},
                             {"udp-blocked", "udpb"},   {"cloud-1to1", "c11"}};

const std::map<std::string, std::string>& dependence_words() {
    static const std::map<std::string, std::string> words = {{"ei", "endpoint-independent"},
                                                             {"ad", "address-dependent"},
                                                             {"apd", "address-and-port-dependent"}};
    return words;
}

const std::map<std::string, std::pair<const char*, const char*>>& modifiers() {
    // +modifier -> the key it sets and its value; the key suffix is the modifier's first letters.
    static const std::map<std::string, std::pair<const char*, const char*>> m = {
        {"preserve", {"port-allocation", "preserve"}},
        {"sequential", {"port-allocation", "sequential"}},
        {"random", {"port-allocation", "random"}},
        {"bare", {"firewall", "false"}}};
    return m;
}

// The presets a matrix cell can be, in nat_presets' order: ipv6-only-carrier
// is not one (its hosts are IPv6-only, a matrix's hosts IPv4).
std::vector<std::string> matrix_presets() {
    std::vector<std::string> names;
    for (const auto& name : nat_preset_names())
        if (std::any_of(std::begin(kPresets), std::end(kPresets),
                        [&](const Base& p) { return name == p.name; }))
            names.push_back(name);
    return names;
}

std::string choices() {
    return "full-cone, restricted-cone, port-restricted-cone, symmetric, masquerade, a pair such "
           "as ad/ei (ei, ad, apd), each with +preserve, +sequential, +random or +bare; a preset "
           "(" +
           join(matrix_presets(), ", ") +
           "); classic; all; with --ipv6 also firewall, firewall/ei, firewall/ad, firewall/apd, "
           "routed, nptv6 and ipv6";
}

[[noreturn]] void bad(const std::string& item, const std::string& why) {
    throw InvalidInput("natlab matrix: --types item " + quote(item) + ": " + why +
                       "; choose from " + choices());
}

// An IPv6 side of its own: the firewall with a filtering, routed, nptv6.
std::optional<MatrixType> ipv6_type(const std::string& item, const std::string& base) {
    MatrixType t;
    t.label = base;
    if (base == "routed" || base == "nptv6") {
        t.key = base == "routed" ? "routed" : "npt";
        t.ipv6_mode = base;
        return t;
    }
    if (base.rfind("firewall", 0) != 0) return std::nullopt;
    t.key = "fw";
    t.ipv6_mode = "firewall";
    if (base == "firewall") return t;
    auto f = base.size() > 9 && base[8] == '/' ? dependence_words().find(base.substr(9))
                                               : dependence_words().end();
    if (f == dependence_words().end())
        bad(item, "a firewall is firewall or firewall/FILTERING, FILTERING one of ei, ad, apd");
    t.key += "-" + f->first;
    t.ipv6_filtering = f->second;
    return t;
}

MatrixType base_type(const std::string& item, const std::string& base) {
    if (auto t = ipv6_type(item, base)) return *t;
    for (const auto& c : kClassic)
        if (base == c.name) return {c.key, base, base, {}, {}, {}, {}, {}, {}, {}};
    auto slash = base.find('/');
    for (const auto& p : kPresets)
        if (base == p.name) return {p.key, base, {}, {}, {}, {}, {}, base, {}, {}};
    if (slash != std::string::npos) {
        auto m = dependence_words().find(base.substr(0, slash));
        auto f = dependence_words().find(base.substr(slash + 1));
        if (m == dependence_words().end() || f == dependence_words().end())
            bad(item, "a pair is MAPPING/FILTERING, each one of ei, ad, apd");
        return {m->first + "-" + f->first, base, {}, m->second, f->second, {}, {}, {}, {}, {}};
    }
    std::vector<std::string> names = matrix_presets();
    for (const auto& c : kClassic) names.emplace_back(c.name);
    bad(item, "not a NAT type" + did_you_mean(base, names));
}

MatrixType one_type(const std::string& item) {
    auto plus = item.find('+');
    MatrixType t = base_type(item, item.substr(0, plus));
    if (plus == std::string::npos) return t;
    std::string modifier = item.substr(plus + 1);
    auto it = modifiers().find(modifier);
    if (it == modifiers().end()) bad(item, "no modifier " + quote(modifier));
    if (t.ipv6_mode && modifier != "bare")
        bad(item, "an IPv6 " + *t.ipv6_mode + " side translates nothing: its ports are the host's");
    if (t.ipv6_mode && *t.ipv6_mode != "firewall")
        bad(item, "+bare turns a firewall off, and " + *t.ipv6_mode + " has none");
    if (modifier != "bare" && t.type == "masquerade")
        bad(item, "masquerade's ports are the kernel's own choice");
    if (t.preset == "cloud-1to1")
        bad(item, "a one-to-one NAT keeps every port and lets anyone in, so no modifier applies");
    t.label = item;
    t.key += "-" + modifier.substr(0, modifier == "bare" ? 4 : 3);
    (std::string(it->second.first) == "firewall" ? t.firewall : t.port_allocation) =
        it->second.second;
    return t;
}

// "a, b" -> {"a", "b"}: the items of a comma-separated list, spaces trimmed.
std::vector<std::string> comma_items(const std::string& list) {
    std::vector<std::string> items;
    std::size_t start = 0;
    while (true) {
        std::size_t comma = list.find(',', start);
        std::string item = list.substr(start, comma == std::string::npos ? comma : comma - start);
        item.erase(0, item.find_first_not_of(' '));
        item.erase(item.find_last_not_of(' ') + 1);
        items.push_back(item);
        if (comma == std::string::npos) return items;
        start = comma + 1;
    }
}

std::vector<std::string> items_of(const std::string& list) {
    std::vector<std::string> items;
    for (const auto& item : comma_items(list)) {
        if (item == "classic") {
            for (int i = 0; i < 4; ++i) items.emplace_back(kClassic[i].name);
        } else if (item == "ipv6") {
            auto ipv6 = items_of(kIpv6MatrixTypes);
            items.insert(items.end(), ipv6.begin(), ipv6.end());
        } else if (item == "all") {
            auto all = items_of(kAllMatrixTypes);
            items.insert(items.end(), all.begin(), all.end());
        } else {
            items.push_back(item);
        }
    }
    return items;
}

}  // namespace

std::vector<MatrixType> parse_matrix_types(const std::string& list) {
    std::vector<MatrixType> types;
    for (const auto& item : items_of(list)) {
        if (item.empty()) bad(item, "an empty item");
        MatrixType t = one_type(item);
        bool listed = std::any_of(types.begin(), types.end(),
                                  [&](const MatrixType& other) { return other.key == t.key; });
        if (listed) bad(item, "listed twice");
        types.push_back(std::move(t));
    }
    if (types.empty()) bad(list, "no type given");
    return types;
}

}  // namespace natlab
