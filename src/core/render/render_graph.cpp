#include "core/render/render_graph.hpp"
#include "core/condition/describe_condition.hpp"

#include <sstream>
#include <vector>

#include "core/util/text.hpp"

namespace natlab {
namespace {

// RFC 4787's classes, short enough for a diagram.
constexpr NameTable<Dependence, 3> kShortDependence = {
    {{Dependence::endpoint_independent, "EI"},
     {Dependence::address_dependent, "AD"},
     {Dependence::address_and_port_dependent, "APD"}}};

// The lines that describe a node, first its name.
std::vector<std::string> node_lines(const LabNode& node) {
    if (!node.nat) return {node.name, name_of(node.kind)};
    const NatBehaviour& nat = node.nat->behaviour;
    return {node.name, "NAT: " + behaviour_name(nat),
            std::string(name_in(kShortDependence, nat.mf.mapping)) + " mapping, " +
                name_in(kShortDependence, nat.mf.filtering) + " filtering"};
}

// One end of a link: "wan (outside)\n100.64.1.100/24".
std::vector<std::string> end_lines(const Lab& lab, const std::string& node_name,
                                   const std::string& ifname) {
    const LabNode* node = lab.find_node(node_name);
    std::string name = ifname;
    if (node && node->nat && node->nat->outside == ifname) name += " (outside)";
    std::vector<std::string> lines{name};
    if (const LabInterface* iface = node ? node->find_interface(ifname) : nullptr) {
        for (const auto& a : iface->addresses) lines.push_back(a.str());
        // What this end sends through: each direction's condition at its sender.
        if (!iface->condition.empty())
            lines.push_back("sends " + describe_condition(iface->condition));
    }
    return lines;
}

const char* dot_shape(NodeKind kind) {
    switch (kind) {
        case NodeKind::host:
            return "shape=box, style=rounded";
        case NodeKind::router:
            return "shape=ellipse";
        case NodeKind::nat:
            return "shape=hexagon, style=filled, fillcolor=\"#fde2c8\"";
        case NodeKind::switch_:
            return "shape=box3d";
    }
    return "shape=box";
}

// Mermaid's shapes wrap the label: rounded box, circle, hexagon, subroutine.
std::pair<const char*, const char*> mermaid_brackets(NodeKind kind) {
    switch (kind) {
        case NodeKind::host:
            return {"(", ")"};
        case NodeKind::router:
            return {"((", "))"};
        case NodeKind::nat:
            return {"{{", "}}"};
        case NodeKind::switch_:
            return {"[[", "]]"};
    }
    return {"[", "]"};
}

// Node names are lower-case letters, digits and '-': ids need no '-'.
std::string mermaid_id(const std::string& name) {
    std::string id = name;
    for (char& c : id)
        if (c == '-') c = '_';
    return id;
}

}  // namespace

std::string render_dot(const Lab& lab) {
    std::ostringstream out;
    out << "// natlab graph of lab " << lab.name << ": render with 'dot -Tsvg'\n"
        << "graph \"" << lab.name << "\" {\n"
        << "  graph [rankdir=LR, fontname=\"Helvetica\", label=\"lab " << lab.name
        << "\", labelloc=t, ranksep=1.2];\n"
        << "  node [fontname=\"Helvetica\", fontsize=11];\n"
        << "  edge [fontname=\"Helvetica\", fontsize=9];\n";
    for (const auto& node : lab.nodes) {
        out << "  \"" << node.name << "\" [" << dot_shape(node.kind) << ", label=\""
            << join(node_lines(node), "\\n") << "\"];\n";
    }
    for (const auto& link : lab.links) {
        out << "  \"" << link.node_a << "\" -- \"" << link.node_b << "\" [taillabel=\""
            << join(end_lines(lab, link.node_a, link.interface_a), "\\n") << "\", headlabel=\""
            << join(end_lines(lab, link.node_b, link.interface_b), "\\n") << "\"];\n";
    }
    out << "}\n";
    return out.str();
}

std::string render_mermaid(const Lab& lab) {
    std::ostringstream out;
    out << "%% natlab graph of lab " << lab.name << "\n"
        << "flowchart LR\n";
    for (const auto& node : lab.nodes) {
        auto [open, close] = mermaid_brackets(node.kind);
        out << "  " << mermaid_id(node.name) << open << "\"" << join(node_lines(node), "<br/>")
            << "\"" << close << "\n";
    }
    for (const auto& link : lab.links) {
        out << "  " << mermaid_id(link.node_a) << " ---|\""
            << join(end_lines(lab, link.node_a, link.interface_a), " ") << " — "
            << join(end_lines(lab, link.node_b, link.interface_b), " ") << "\"| "
            << mermaid_id(link.node_b) << "\n";
    }
    return out.str();
}

}  // namespace natlab
