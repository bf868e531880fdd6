#include "core/topology/validate_port_security.hpp"

#include <algorithm>

#include "core/topology/node_interface.hpp"
#include "core/util/text.hpp"

namespace natlab {
namespace {

// accept -> false, reject -> true; anything else is refused.
bool rejects(const std::optional<Marked<std::string>>& value, const char* key,
             const std::string& port, bool default_rejects, Diagnostics& diag) {
    if (!value) return default_rejects;
    if (value->value == "reject") return true;
    if (value->value == "accept") return false;
    diag.error(value->pos, std::string(key) + " of port " + quote(port) + " is " +
                               quote(value->value) + "; write accept or reject");
    return default_rejects;
}

}  // namespace

std::vector<PortSecurity> check_port_security(const NodeSpec& spec, const LabNode& node,
                                              const std::vector<LabLink>& links,
                                              Diagnostics& diag) {
    if (spec.port_security.empty()) return {};
    std::vector<std::string> ports;
    for (const auto& i : node.interfaces) ports.push_back(i.name);
    std::vector<PortSecurity> out;
    for (const auto& link : links) {
        const bool a = link.node_a == node.name, b = link.node_b == node.name;
        if (!a && !b) continue;
        PortSecurity p;
        p.port = a ? link.interface_a : link.interface_b;
        p.mac = a ? link.mac_b : link.mac_a;
        p.host = a ? NodeInterface{link.node_b, link.interface_b}.str()
                   : NodeInterface{link.node_a, link.interface_a}.str();
        out.push_back(p);
    }
    for (const auto& written : spec.port_security) {
        auto it = std::find_if(out.begin(), out.end(),
                               [&](const PortSecurity& p) { return p.port == written.port.value; });
        if (it == out.end()) {
            diag.error(written.port.pos, "switch " + quote(node.name) + " has no port " +
                                             quote(written.port.value) + "; its ports are " +
                                             join(ports, ", ") +
                                             did_you_mean(written.port.value, ports));
            continue;
        }
        it->reject_forged_transmits =
            rejects(written.forged_transmits, "forged-transmits", it->port, false, diag);
        it->reject_mac_changes = rejects(written.mac_changes, "mac-changes", it->port, false, diag);
        it->accept_promiscuous = !rejects(written.promiscuous, "promiscuous", it->port, true, diag);
    }
    return out;
}

}  // namespace natlab
