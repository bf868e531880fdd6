#include "edge/use_cases/node_netns.hpp"

#include <stdexcept>

#include "core/names/netns_name.hpp"
#include "edge/kernel/netns.hpp"

namespace natlab {

UniqueFd open_node_netns(const std::string& lab, const std::string& node) {
    std::string netns = netns_name(lab, node);
    UniqueFd fd = open_netns(netns);
    if (!fd) throw std::runtime_error("namespace " + netns + " is missing; see 'natlab status'");
    return fd;
}

}  // namespace natlab
