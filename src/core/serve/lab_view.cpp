#include "core/serve/lab_view.hpp"

#include "core/conntrack/mapping_table.hpp"
#include "core/render/graph_facts.hpp"

namespace natlab {
namespace {

using nlohmann::json;

json node_json(const Lab& lab, const LabNode& node) {
    json lines = json::array();
    if (node.nat)
        for (const auto& line : nat_lines(*node.nat)) lines.push_back(line);
    for (const auto& line : port_security_lines(node)) lines.push_back(line);
    if (auto dns = dns_line(lab, node); !dns.empty()) lines.push_back(dns);
    json interfaces = json::array();
    for (const auto& iface : node.interfaces) {
        json addresses = json::array();
        for (const auto& a : iface.addresses) addresses.push_back(a.str());
        interfaces.push_back({{"name", iface.name},
                              {"addresses", addresses},
                              {"side", nat_side_word(nat_side(node, iface.name))},
                              {"down", iface.down}});
    }
    json out = {{"name", node.name},
                {"kind", name_of(node.kind)},
                {"lines", lines},
                {"interfaces", interfaces}};
    if (node.nat) out["behaviour"] = behaviour_words(node.nat->behaviour);
    return out;
}

json end_json(const GraphEnd& end, bool down) {
    json addresses = json::array();
    for (const auto& a : end.addresses) addresses.push_back(a);
    return {{"node", end.node},   {"interface", end.ifname}, {"side", nat_side_word(end.side)},
            {"sends", end.sends}, {"addresses", addresses},  {"down", down}};
}

bool end_down(const Lab& lab, const std::string& node, const std::string& ifname) {
    const LabNode* n = lab.find_node(node);
    const LabInterface* i = n ? n->find_interface(ifname) : nullptr;
    return i && i->down;
}

}  // namespace

json lab_view_json(const Lab& lab) {
    json nodes = json::array(), links = json::array();
    for (const auto& node : lab.nodes) nodes.push_back(node_json(lab, node));
    for (const auto& link : lab.links) {
        const bool a_down = end_down(lab, link.node_a, link.interface_a);
        const bool b_down = end_down(lab, link.node_b, link.interface_b);
        links.push_back({{"a", end_json(graph_end(lab, link, true), a_down)},
                         {"b", end_json(graph_end(lab, link, false), b_down)},
                         {"down", a_down || b_down}});
    }
    return {{"lab", lab.name}, {"nodes", nodes}, {"links", links}};
}

}  // namespace natlab
