#pragma once
// "NODE:IFACE" on natlab capture's command line, checked against the lab.
#include <string>
#include <vector>

#include "core/topology/lab.hpp"
#include "core/topology/node_interface.hpp"

namespace natlab {

struct CaptureTarget {
    std::string node, interface;
    std::string label() const {
        return NodeInterface{node, interface}.str();
    }  // as the pcapng names it
};

// Each word a node and one of its interfaces; InvalidInput naming the lab's
// nodes or the node's interfaces, and the nearest, otherwise. A node alone
// ("c0") means every interface it has.
std::vector<CaptureTarget> capture_targets(const Lab& lab, const std::vector<std::string>& words);

}  // namespace natlab
