#include "core/capture/capture_target.hpp"

#include <algorithm>

#include "core/topology/node_lookup.hpp"
#include "core/util/invalid_input.hpp"
#include "core/util/text.hpp"

namespace natlab {

std::vector<CaptureTarget> capture_targets(const Lab& lab, const std::vector<std::string>& words) {
    std::vector<CaptureTarget> out;
    auto add = [&out](CaptureTarget t) {
        for (const auto& have : out)
            if (have.node == t.node && have.interface == t.interface) return;
        out.push_back(std::move(t));
    };
    for (const auto& word : words) {
        auto colon = word.find(':');
        const LabNode& node = require_node(lab, word.substr(0, colon), "natlab capture");
        std::vector<std::string> names;
        for (const auto& i : node.interfaces) names.push_back(i.name);
        if (colon == std::string::npos) {
            for (const auto& name : names) add({node.name, name});
            continue;
        }
        std::string iface = word.substr(colon + 1);
        if (std::find(names.begin(), names.end(), iface) == names.end())
            throw InvalidInput("natlab capture: node " + node.name + " of lab " + lab.name +
                               " has no interface " + quote(iface) + "; its interfaces are " +
                               join(names, ", ") + did_you_mean(iface, names));
        add({node.name, iface});
    }
    return out;
}

}  // namespace natlab
