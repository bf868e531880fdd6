#pragma once
// A lab's nodes by name, for loops over every link or endpoint:
// find_node() scans, which makes such a loop quadratic in a lab of
// thousands of nodes. The index points into the node vector it was built
// from, which must outlive it unchanged.
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/topology/lab.hpp"
#include "core/topology/model.hpp"

namespace natlab {

inline std::string_view node_name_of(const NodeSpec& node) {
    return node.name.value;
}
inline std::string_view node_name_of(const LabNode& node) {
    return node.name;
}

template <class Node>
class NodeIndex {
  public:
    explicit NodeIndex(const std::vector<Node>& nodes) {
        by_name_.reserve(nodes.size());
        for (const auto& n : nodes) by_name_.emplace(node_name_of(n), &n);  // the first one wins
    }
    const Node* find(std::string_view name) const {
        auto it = by_name_.find(name);
        return it == by_name_.end() ? nullptr : it->second;
    }

  private:
    std::unordered_map<std::string_view, const Node*> by_name_;
};

}  // namespace natlab
