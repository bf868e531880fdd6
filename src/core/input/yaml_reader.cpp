#include "core/input/yaml_reader.hpp"

#include <algorithm>
#include <map>

#include "core/util/text.hpp"

namespace natlab {
namespace {

// A key yaml-cpp cannot stream, so a missing one costs it nothing to name.
struct FieldName {
    std::string_view text;
    bool operator==(const FieldName&) const = default;
};

}  // namespace
}  // namespace natlab

template <>
struct YAML::convert<natlab::FieldName> {
    static bool decode(const Node& node, natlab::FieldName& out) {
        if (!node.IsScalar()) return false;
        out.text = node.Scalar();  // lives as long as the node
        return true;
    }
};

namespace natlab {

YAML::Node field(const YAML::Node& map, std::string_view key) {
    return map[FieldName{key}];
}

SourcePos at(const YAML::Node& node) {
    auto mark = node.Mark();
    if (mark.is_null()) return {};
    return {mark.line + 1, mark.column + 1};
}

SourcePos at_offset(const YAML::Node& scalar, std::size_t offset) {
    SourcePos pos = at(scalar);
    pos.column += static_cast<int>(offset) + (scalar.Tag() == "!" ? 1 : 0);
    return pos;
}

std::string describe_type(const YAML::Node& node) {
    switch (node.Type()) {
        case YAML::NodeType::Sequence:
            return "a list";
        case YAML::NodeType::Map:
            return "a mapping";
        case YAML::NodeType::Null:
            return "nothing";
        default:
            return "a single value";
    }
}

bool YamlReader::scalar(const YAML::Node& node, std::string_view what) {
    if (node.IsScalar()) return true;
    diag_.error(at(node), "expected a single value for " + std::string(what) + ", got " +
                              describe_type(node));
    return false;
}

bool YamlReader::expect(const YAML::Node& node, YAML::NodeType::value type, std::string_view what,
                        std::string_view example) {
    if (node.Type() == type) return true;
    diag_.error(at(node), std::string(what) + " must be " +
                              (type == YAML::NodeType::Map ? "a mapping" : "a list") + ", got " +
                              describe_type(node) + "; for example: " + std::string(example));
    return false;
}

void YamlReader::check_keys(const YAML::Node& map, const std::vector<std::string>& known,
                            const std::string& where) {
    std::map<std::string, SourcePos> seen;
    for (auto it = map.begin(); it != map.end(); ++it) {
        const YAML::Node key = it->first;
        if (!key.IsScalar()) {
            diag_.error(at(key), "keys must be plain names " + where);
            continue;
        }
        const auto& k = key.Scalar();
        if (auto [prev, fresh] = seen.emplace(k, at(key)); !fresh) {
            diag_.error(at(key), "duplicate key " + quote(k) + " " + where + " (first at line " +
                                     std::to_string(prev->second.line) + "); remove one of them");
            continue;
        }
        if (std::find(known.begin(), known.end(), k) != known.end()) continue;
        diag_.error(at(key),
                    "unknown key " + quote(k) + " " + where + did_you_mean(k, known) +
                        (closest(k, known) ? "" : " (known keys: " + join(known, ", ") + ")"));
    }
}

std::vector<Marked<std::string>> YamlReader::scalars(const YAML::Node& node,
                                                     std::string_view what) {
    std::vector<Marked<std::string>> out;
    if (node.IsSequence()) {
        for (const auto& item : node)
            if (scalar(item, what)) out.push_back(marked(item));
    } else if (scalar(node, what)) {
        out.push_back(marked(node));
    }
    return out;
}

}  // namespace natlab
