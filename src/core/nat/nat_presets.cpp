#include "core/nat/nat_presets.hpp"

#include <cstring>
#include <sstream>

#include "core/util/text.hpp"

namespace natlab {
namespace {

using Field = std::optional<Marked<std::string>> NatSpec::*;

struct PresetKey {
    const char* name;
    Field field;
    Field written_instead;  // a key that says the same, which wins if written
};

constexpr PresetKey kPresetKeys[] = {
    {"mapping", &NatSpec::mapping, &NatSpec::type},
    {"filtering", &NatSpec::filtering, &NatSpec::type},
    {"hairpinning", &NatSpec::hairpinning, nullptr},
    {"port-allocation", &NatSpec::port_allocation, &NatSpec::port_preservation},
    {"pooling", &NatSpec::pooling, nullptr},
    {"firewall", &NatSpec::firewall, nullptr},
    {"udp-timeout.unreplied", &NatSpec::udp_unreplied, nullptr},
    {"udp-timeout.established", &NatSpec::udp_established, nullptr},
    {"one-to-one", &NatSpec::one_to_one, nullptr},
};
constexpr const char* kAllowOutbound = "allow-outbound";
constexpr const char* kNat64 = "nat64";  // its value is the prefix

const PresetKey* preset_key(const char* name) {
    for (const auto& k : kPresetKeys)
        if (std::strcmp(k.name, name) == 0) return &k;
    return nullptr;
}

// "tcp/80 tcp/443" as the list the file would hold.
std::vector<Marked<std::string>> ports_of(const std::string& list, SourcePos pos) {
    std::vector<Marked<std::string>> out;
    std::istringstream words(list);
    for (std::string word; words >> word;) out.push_back({word, pos});
    return out;
}

}  // namespace

// Each preset's values and their sources are listed in README ("Presets").
const std::vector<NatPreset>& nat_presets() {
    static const std::vector<NatPreset> presets = {
        {"home-router",
         "a home gateway: port-restricted cone, keeps ports, hairpins, 5 min streams",
         {{"mapping", "endpoint-independent"},
          {"filtering", "address-and-port-dependent"},
          {"hairpinning", "true"},
          {"port-allocation", "preserve"},
          {"udp-timeout.unreplied", "30"},
          {"udp-timeout.established", "300"}}},
        {"cgnat",
         "a carrier-grade NAT as RFC 6888 asks: endpoint-independent mapping, address-dependent "
         "filtering, paired pooling, random ports, hairpins, 2 min / 5 min timeouts",
         {{"mapping", "endpoint-independent"},
          {"filtering", "address-dependent"},
          {"pooling", "paired"},
          {"hairpinning", "true"},
          {"port-allocation", "random"},
          {"udp-timeout.unreplied", "120"},
          {"udp-timeout.established", "300"}},
         "routed"},
        {"mobile-carrier",
         "a mobile operator's NAT: symmetric, random ports, arbitrary pooling, no hairpinning, "
         "short timeouts",
         {{"mapping", "address-and-port-dependent"},
          {"filtering", "address-and-port-dependent"},
          {"pooling", "arbitrary"},
          {"hairpinning", "false"},
          {"port-allocation", "random"},
          {"udp-timeout.unreplied", "30"},
          {"udp-timeout.established", "60"}},
         "routed"},
        {"enterprise-firewall",
         "an office firewall's port address translation: symmetric, random ports, 30 s UDP",
         {{"mapping", "address-and-port-dependent"},
          {"filtering", "address-and-port-dependent"},
          {"hairpinning", "false"},
          {"port-allocation", "random"},
          {"udp-timeout.unreplied", "30"},
          {"udp-timeout.established", "30"}},
         "firewall",
         "address-and-port-dependent"},
        {"cloud-1to1",
         "a cloud provider's one-to-one NAT (an elastic or external IP): the address is one "
         "host's, every port kept, anyone may reach it",
         {{"mapping", "endpoint-independent"},
          {"filtering", "endpoint-independent"},
          {"hairpinning", "false"},
          {"port-allocation", "preserve"},
          {"one-to-one", ""}},
         "routed"},
        {"ipv6-only-carrier",
         "a mobile carrier that gives phones IPv6 only (RFC 6877 464XLAT's PLAT): IPv6 routed "
         "to each phone, IPv4 reached through NAT64 under 64:ff9b::/96 with RFC 6146's classes: "
         "endpoint-independent mapping, address-dependent filtering, paired pooling, random "
         "ports, hairpins, 2 min / 5 min",
         {{"mapping", "endpoint-independent"},
          {"filtering", "address-dependent"},
          {"pooling", "paired"},
          {"hairpinning", "true"},
          {"port-allocation", "random"},
          {"udp-timeout.unreplied", "120"},
          {"udp-timeout.established", "300"},
          {kNat64, "64:ff9b::/96"}},
         "routed"},
        {"udp-blocked",
         "a hotel's or guest network: only TCP to ports 80 and 443 goes out",
         {{"mapping", "endpoint-independent"},
          {"filtering", "address-and-port-dependent"},
          {"port-allocation", "preserve"},
          {kAllowOutbound, "tcp/80 tcp/443"}},
         "firewall",
         "address-and-port-dependent"},
    };
    return presets;
}

const NatPreset* find_nat_preset(const std::string& name) {
    for (const auto& p : nat_presets())
        if (name == p.name) return &p;
    return nullptr;
}

std::vector<std::string> nat_preset_names() {
    std::vector<std::string> names;
    for (const auto& p : nat_presets()) names.emplace_back(p.name);
    return names;
}

void apply_nat_preset(NatSpec& spec, const std::string& nat_name, Diagnostics& diag) {
    if (!spec.preset) return;
    const Marked<std::string>& written = *spec.preset;
    const NatPreset* preset = nullptr;
    for (const auto& p : nat_presets())
        if (written.value == p.name) preset = &p;
    if (!preset) {
        diag.error(written.pos, "unknown preset " + quote(written.value) + " of nat node " +
                                    quote(nat_name) + "; use one of " +
                                    join(nat_preset_names(), ", ") +
                                    did_you_mean(written.value, nat_preset_names()));
        return;
    }
    for (const auto& [name, value] : preset->keys) {
        if (std::strcmp(name, kAllowOutbound) == 0) {
            if (!spec.allow_outbound) spec.allow_outbound = ports_of(value, written.pos);
            continue;
        }
        if (std::strcmp(name, kNat64) == 0) {
            if (!spec.nat64)
                spec.nat64 = Nat64Spec{written.pos, std::nullopt,
                                       Marked<std::string>{value, written.pos}, std::nullopt};
            continue;
        }
        const PresetKey* key = preset_key(name);
        if (!key || spec.*(key->field)) continue;
        if (key->written_instead && spec.*(key->written_instead)) continue;
        spec.*(key->field) = Marked<std::string>{value, written.pos};
    }
}

bool from_preset(const NatSpec& spec, const Marked<std::string>& value) {
    return spec.preset && value.pos == spec.preset->pos;
}

}  // namespace natlab
