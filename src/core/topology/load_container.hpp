#pragma once
// Reads a 'container:' section (on a node or at the top level) as written.
#include "core/input/yaml_reader.hpp"
#include "core/topology/model.hpp"

namespace natlab {

const std::vector<std::string>& container_keys();

// `section` is the value of a 'container:' key: true, false or a mapping.
ContainerSpec load_container(YamlReader& reader, const YAML::Node& section);

}  // namespace natlab
