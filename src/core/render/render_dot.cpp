// natlab graph --format dot: nodes as HTML-like tables whose rows are the
// node's interfaces (the edges attach to the rows), the legend as the
// graph's own label below the lab.
#include <sstream>

#include "core/render/graph_facts.hpp"
#include "core/render/render_graph.hpp"
#include "core/util/markup.hpp"

namespace natlab {
namespace {

// Blue for the private side, orange for the public one, grey elsewhere.
const char* line_colour(NatSide side) {
    switch (side) {
        case NatSide::inside:
            return "#2563eb";
        case NatSide::outside:
            return "#ea580c";
        case NatSide::none:
            break;
    }
    return "#6b7280";
}

const char* cell_colour(NatSide side) {
    switch (side) {
        case NatSide::inside:
            return "#dbeafe";
        case NatSide::outside:
            return "#ffedd5";
        case NatSide::none:
            break;
    }
    return "#ffffff";
}

const char* header_colour(NodeKind kind) {
    switch (kind) {
        case NodeKind::host:
            return "#f3f4f6";
        case NodeKind::router:
            return "#d1d5db";
        case NodeKind::nat:
            return "#fde2c8";
        case NodeKind::switch_:
            return "#ede9fe";
    }
    return "#ffffff";
}

// Rows are found by the interface's place on its node: names may hold
// characters a port name would have to escape.
std::string port_of(const LabNode& node, const std::string& ifname) {
    for (std::size_t i = 0; i < node.interfaces.size(); ++i)
        if (node.interfaces[i].name == ifname) return "i" + std::to_string(i);
    return "";
}

const LabLink* link_of(const Lab& lab, const LabNode& node, const std::string& ifname) {
    for (const auto& link : lab.links)
        if ((link.node_a == node.name && link.interface_a == ifname) ||
            (link.node_b == node.name && link.interface_b == ifname))
            return &link;
    return nullptr;
}

std::string small(const std::string& text, const char* colour = "#374151") {
    return "<FONT POINT-SIZE=\"9\" COLOR=\"" + std::string(colour) + "\">" + text + "</FONT>";
}

std::string interface_row(const Lab& lab, const LabNode& node, const LabInterface& iface) {
    const LabLink* link = link_of(lab, node, iface.name);
    GraphEnd end =
        link ? graph_end(lab, *link, link->node_a == node.name && link->interface_a == iface.name)
             : GraphEnd{node.name, iface.name, node.kind, nat_side(node, iface.name), {}, {}, 0};
    std::string text = "<B>" + xml_escape(end.ifname) + "</B>";
    if (end.side != NatSide::none)
        text += " <FONT COLOR=\"" + std::string(line_colour(end.side)) + "\">" +
                nat_side_word(end.side) + "</FONT>";
    for (const auto& address : end.addresses) text += "<BR/>" + address;
    if (!end.sends.empty()) text += "<BR/>" + small("sends " + xml_escape(end.sends), "#7c2d12");
    if (end.mtu) text += "<BR/>" + small("mtu " + std::to_string(end.mtu));
    return "<TR><TD PORT=\"" + port_of(node, iface.name) + "\" BGCOLOR=\"" + cell_colour(end.side) +
           "\" SIDES=\"T\" BORDER=\"1\">" + text + "</TD></TR>";
}

std::string node_label(const Lab& lab, const LabNode& node) {
    std::string kind = name_of(node.kind);
    if (node.container) kind += ", container";
    std::string head = "<B>" + node.name + "</B>";
    if (!node.nat) head += "<BR/>" + small(kind);  // a NAT's first line says it
    if (node.nat)
        for (const auto& line : nat_lines(*node.nat))
            head += "<BR/>" + small(xml_escape(line), "#7c2d12");
    for (const auto& line : port_security_lines(node)) head += "<BR/>" + small(xml_escape(line));
    if (std::string dns = dns_line(lab, node); !dns.empty())
        head += "<BR/>" + small(xml_escape(dns), "#1e3a8a");
    std::string rows =
        "<TR><TD BGCOLOR=\"" + std::string(header_colour(node.kind)) + "\">" + head + "</TD></TR>";
    // A NAT's outside on top, nearest the public side that is drawn left.
    for (const auto& iface : node.interfaces)
        if (nat_side(node, iface.name) == NatSide::outside) rows += interface_row(lab, node, iface);
    for (const auto& iface : node.interfaces)
        if (nat_side(node, iface.name) != NatSide::outside) rows += interface_row(lab, node, iface);
    const char* style = node.kind == NodeKind::host ? " STYLE=\"ROUNDED\"" : "";
    return "<<TABLE BORDER=\"1\" CELLBORDER=\"0\" CELLSPACING=\"0\" CELLPADDING=\"4\" "
           "COLOR=\"#4b5563\"" +
           std::string(style) + ">" + rows + "</TABLE>>";
}

std::string edge(const Lab& lab, const LabLink& link) {
    GraphEnd a = graph_end(lab, link, true), b = graph_end(lab, link, false);
    if (draw_b_first(a, b)) std::swap(a, b);
    const LabNode* na = lab.find_node(a.node);
    const LabNode* nb = lab.find_node(b.node);
    std::string colour = line_colour(a.side);
    // Each half in the colour of its end: a link between two NATs is one's
    // outside and the other's inside.
    if (a.side != b.side) colour += std::string(";0.5:") + line_colour(b.side);
    return "    \"" + a.node + "\":\"" + (na ? port_of(*na, a.ifname) : "") + "\" -- \"" + b.node +
           "\":\"" + (nb ? port_of(*nb, b.ifname) : "") + "\" [color=\"" + colour + "\"];\n";
}

std::string legend(const Lab& lab) {
    std::string rows = "<TR><TD COLSPAN=\"3\" ALIGN=\"LEFT\"><B>legend</B></TD></TR>";
    if (has_nat(lab)) {
        for (NatSide side : {NatSide::inside, NatSide::outside}) {
            rows += "<TR><TD BGCOLOR=\"" + std::string(cell_colour(side)) + "\"><FONT COLOR=\"" +
                    line_colour(side) + "\">" + nat_side_word(side) +
                    "</FONT></TD><TD COLSPAN=\"2\" ALIGN=\"LEFT\">" +
                    (side == NatSide::inside ? kInsideWords : kOutsideWords) + "</TD></TR>";
        }
        rows +=
            "<TR><TD ALIGN=\"LEFT\"></TD><TD ALIGN=\"LEFT\"><B>mapping</B>: which public "
            "endpoint a host's packets leave from</TD><TD ALIGN=\"LEFT\"><B>filtering</B>: who "
            "may send in through a mapping</TD></TR>";
        for (const auto& w : dependence_words()) {
            rows += "<TR><TD ALIGN=\"LEFT\"><B>" + std::string(w.short_name) + "</B> " + w.name +
                    "</TD><TD ALIGN=\"LEFT\">" + w.mapping + "</TD><TD ALIGN=\"LEFT\">" +
                    w.filtering + "</TD></TR>";
        }
        rows += "<TR><TD COLSPAN=\"3\" ALIGN=\"LEFT\">" + std::string(kPortsWords) + "</TD></TR>";
    }
    rows += "<TR><TD COLSPAN=\"3\" ALIGN=\"LEFT\">" + std::string(kSendsWords) + "</TD></TR>";
    return "<<TABLE BORDER=\"1\" CELLBORDER=\"0\" CELLSPACING=\"0\" CELLPADDING=\"3\" "
           "COLOR=\"#9ca3af\"><TR><TD><FONT POINT-SIZE=\"9\"><TABLE BORDER=\"0\" "
           "CELLBORDER=\"0\" CELLSPACING=\"0\" CELLPADDING=\"2\">" +
           rows + "</TABLE></FONT></TD></TR></TABLE>>";
}

}  // namespace

std::string render_dot(const Lab& lab) {
    std::ostringstream out;
    out << "// natlab graph of lab " << lab.name << ": render with 'dot -Tsvg'\n"
        << "graph \"" << lab.name << "\" {\n"
        << "  graph [rankdir=LR, splines=line, fontname=\"Helvetica\", nodesep=0.35, "
           "ranksep=0.9];\n"
        << "  node [shape=plain, fontname=\"Helvetica\", fontsize=11];\n"
        << "  edge [penwidth=2];\n"
        << "  subgraph cluster_lab {\n"
        << "    label=\"lab " << lab.name << "\"; labelloc=t; fontsize=16; color=\"white\";\n";
    for (const auto& node : lab.nodes)
        out << "    \"" << node.name << "\" [label=" << node_label(lab, node) << "];\n";
    for (const auto& link : lab.links) out << edge(lab, link);
    out << "  }\n"
        << "  // The legend is the graph's own label: below the lab, never over it.\n"
        << "  label=" << legend(lab) << ";\n"
        << "  labelloc=b;\n"
        << "}\n";
    return out.str();
}

}  // namespace natlab
