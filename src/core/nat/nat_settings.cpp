#include "core/nat/nat_settings.hpp"

#include <sstream>

#include "core/nat/behaviour.hpp"
#include "core/util/text.hpp"

namespace natlab {
namespace {

using Field = std::optional<Marked<std::string>> NatSpec::*;

// A live key and the field of the spec it sets.
struct LiveKey {
    const char* name;
    Field field;
};

constexpr LiveKey kLiveKeys[] = {
    {"type", &NatSpec::type},
    {"mapping", &NatSpec::mapping},
    {"filtering", &NatSpec::filtering},
    {"hairpinning", &NatSpec::hairpinning},
    {"port-allocation", &NatSpec::port_allocation},
    {"port-preservation", &NatSpec::port_preservation},
    {"port-range", &NatSpec::port_range},
    {"firewall", &NatSpec::firewall},
    {"isolate-inside", &NatSpec::isolate_inside},
    {"udp-timeout.unreplied", &NatSpec::udp_unreplied},
    {"udp-timeout.established", &NatSpec::udp_established},
};

const LiveKey* find_live_key(const std::string& name) {
    for (const auto& k : kLiveKeys)
        if (name == k.name) return &k;
    return nullptr;
}

// A value from the command line: no line of the file to point at.
Marked<std::string> given(const std::string& value) {
    return {value, SourcePos{}};
}

// `type` and the classes say the same thing: the newest wins. A class set
// over a type keeps what the type meant for the other class.
void replace_equivalents(NatSpec& spec, Field set) {
    if (set == &NatSpec::type) {
        spec.mapping.reset();
        spec.filtering.reset();
    } else if ((set == &NatSpec::mapping || set == &NatSpec::filtering) && spec.type) {
        if (auto type = parse_name<NatType>(spec.type->value)) {
            MappingFiltering mf = classic_behaviour(*type);
            spec.mapping = given(name_of(mf.mapping));
            spec.filtering = given(name_of(mf.filtering));
        }
        spec.type.reset();
    } else if (set == &NatSpec::port_allocation) {
        spec.port_preservation.reset();
    } else if (set == &NatSpec::port_preservation) {
        spec.port_allocation.reset();
    }
}

std::string unknown_key(const std::string& key) {
    if (key == "forwards" || key == "exclude" || key == "port-mapping")
        return "'" + key + "' cannot change on a live NAT; edit the topology file and create the " +
               "lab again";
    return "unknown NAT key " + quote(key) + "; a live NAT takes " + join(live_nat_keys(), ", ") +
           did_you_mean(key, live_nat_keys());
}

}  // namespace

const std::vector<std::string>& live_nat_keys() {
    static const std::vector<std::string> keys = [] {
        std::vector<std::string> out;
        for (const auto& k : kLiveKeys) out.emplace_back(k.name);
        out.emplace_back(kAddressKey);
        return out;
    }();
    return keys;
}

void apply_nat_settings(NatSpec& spec, const NatSettings& settings,
                        std::vector<std::string>& problems) {
    for (const auto& [key, value] : settings) {
        if (is_address_key(key)) continue;  // the outside link's, laid there by the loader
        const LiveKey* live = find_live_key(key);
        if (!live) {
            problems.push_back(unknown_key(key));
            continue;
        }
        replace_equivalents(spec, live->field);
        if (value == "none")
            (spec.*(live->field)).reset();
        else
            spec.*(live->field) = given(value);
    }
}

std::string nat_settings_words(const NatSettings& settings) {
    std::vector<std::string> words;
    for (const auto& [key, value] : settings) words.push_back(key + "=" + value);
    return join(words, " ");
}

NatSettings nat_settings_of_words(const std::string& words) {
    NatSettings out;
    std::istringstream in(words);
    for (std::string word; in >> word;) {
        auto eq = word.find('=');
        if (eq == std::string::npos) continue;
        out.emplace_back(word.substr(0, eq), word.substr(eq + 1));
    }
    return out;
}

}  // namespace natlab
