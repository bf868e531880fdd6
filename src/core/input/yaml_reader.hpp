#pragma once
// Reading YAML nodes with positions: the checks every part of the loader
// shares, each reporting into Diagnostics instead of throwing.
#include <yaml-cpp/yaml.h>

#include <string>
#include <string_view>
#include <vector>

#include "core/input/diagnostics.hpp"
#include "core/input/marked.hpp"

namespace natlab {

// map[key] as yaml-cpp gives it (an invalid, false node when the key is
// missing), without the std::stringstream yaml-cpp formats a missing key
// through for an error message nobody reads: with a lab's many optional keys
// that was a fifth of loading a large file.
YAML::Node field(const YAML::Node& map, std::string_view key);

SourcePos at(const YAML::Node& node);
// Position of a character inside a one-line scalar (quoted scalars start one
// column later than their text).
SourcePos at_offset(const YAML::Node& scalar, std::size_t offset);
std::string describe_type(const YAML::Node& node);

class YamlReader {
  public:
    explicit YamlReader(Diagnostics& diag) : diag_(diag) {}

    bool scalar(const YAML::Node& node, std::string_view what);
    bool expect(const YAML::Node& node, YAML::NodeType::value type, std::string_view what,
                std::string_view example);
    // Reports unknown and repeated keys; "where" says whose keys they are.
    void check_keys(const YAML::Node& map, const std::vector<std::string>& known,
                    const std::string& where);
    Marked<std::string> marked(const YAML::Node& scalar_node) {
        return {scalar_node.Scalar(), at(scalar_node)};
    }
    // One value or a list of them ("exclude: 10.0.0.0/8" or "exclude: [a, b]").
    std::vector<Marked<std::string>> scalars(const YAML::Node& node, std::string_view what);

    Diagnostics& diag() { return diag_; }

  protected:
    Diagnostics& diag_;
};

}  // namespace natlab
