#include "core/condition/load_condition.hpp"

#include <utility>

namespace natlab {

const std::vector<std::pair<std::string, ConditionField>>& condition_fields() {
    static const std::vector<std::pair<std::string, ConditionField>> all = {
        {"delay", &ConditionSpec::delay},     {"jitter", &ConditionSpec::jitter},
        {"loss", &ConditionSpec::loss},       {"rate", &ConditionSpec::rate},
        {"reorder", &ConditionSpec::reorder}, {"duplicate", &ConditionSpec::duplicate},
        {"corrupt", &ConditionSpec::corrupt}, {"limit", &ConditionSpec::limit}};
    return all;
}

namespace {

std::vector<std::string> direction_keys() {
    std::vector<std::string> keys;
    for (const auto& [key, field] : condition_fields()) keys.push_back(key);
    return keys;
}

void load_values(YamlReader& reader, const YAML::Node& map, ConditionSpec& spec) {
    for (const auto& [key, member] : condition_fields())
        if (auto value = field(map, key); value && reader.scalar(value, "'" + key + "'"))
            spec.*member = reader.marked(value);
}

void load_from(YamlReader& reader, const YAML::Node& from, LinkConditionSpec& spec) {
    if (!reader.expect(from, YAML::NodeType::Map, "'from'",
                       "from: {c0:eth0: {rate: 1mbit}} (what c0:eth0 sends)"))
        return;
    for (auto it = from.begin(); it != from.end(); ++it) {
        if (!reader.scalar(it->first, "an endpoint under 'from'")) continue;
        DirectionSpec direction{reader.marked(it->first), {}};
        std::string where = "under 'from: " + it->first.Scalar() + "'";
        if (!reader.expect(it->second, YAML::NodeType::Map, "'" + it->first.Scalar() + "'",
                           it->first.Scalar() + ": {delay: 20ms, rate: 1mbit}"))
            continue;
        reader.check_keys(it->second, direction_keys(), where);
        load_values(reader, it->second, direction.condition);
        spec.from.push_back(std::move(direction));
    }
}

}  // namespace

const std::vector<std::string>& link_condition_keys() {
    static const std::vector<std::string> keys = [] {
        std::vector<std::string> k = direction_keys();
        k.push_back("preset");
        k.push_back("from");
        return k;
    }();
    return keys;
}

void load_link_condition(YamlReader& reader, const YAML::Node& link, LinkConditionSpec& spec) {
    if (auto preset = field(link, "preset"); preset && reader.scalar(preset, "'preset'"))
        spec.preset = reader.marked(preset);
    load_values(reader, link, spec.both);
    if (auto from = field(link, "from")) load_from(reader, from, spec);
}

}  // namespace natlab
