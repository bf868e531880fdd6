// natlab graph --format mermaid: a flowchart whose links carry both ends'
// interfaces; a NAT's inside and outside links in their colours; the legend
// as a subgraph of its own.
#include <sstream>

#include "core/render/graph_facts.hpp"
#include "core/render/render_graph.hpp"
#include "core/util/text.hpp"

namespace natlab {
namespace {

// Mermaid's shapes wrap the label: rounded box, circle, hexagon, subroutine.
std::pair<const char*, const char*> brackets(NodeKind kind) {
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

// A prefix keeps ids off Mermaid's keywords ("end", "graph") and off
// edge syntax ("o" and "x" right after a link are arrow heads); node names
// have no '_', so the legend's ids cannot clash.
std::string id_of(const std::string& name) {
    std::string id = "n_" + name;
    for (char& c : id)
        if (c == '-') c = '_';
    return id;
}

// Inside a quoted label Mermaid reads '"' as the end and '<' as HTML.
std::string quoted_text(const std::string& text) {
    std::string out;
    for (char c : text) {
        if (c == '"')
            out += "#quot;";
        else if (c == '<')
            out += "#lt;";
        else if (c == '>')
            out += "#gt;";
        else
            out += c;
    }
    return out;
}

std::string end_text(const GraphEnd& end) {
    std::string text = end.ifname;
    if (end.side != NatSide::none) text += std::string(" (") + nat_side_word(end.side) + ")";
    for (const auto& address : end.addresses) text += " " + address;
    if (!end.sends.empty()) text += ", sends " + end.sends;
    if (end.mtu) text += ", mtu " + std::to_string(end.mtu);
    return quoted_text(text);
}

std::vector<std::string> node_lines(const Lab& lab, const LabNode& node) {
    std::vector<std::string> lines{node.name};
    if (!node.nat) lines.push_back(name_of(node.kind));  // a NAT's first line says it
    if (node.nat)
        for (const auto& line : nat_lines(*node.nat)) lines.push_back(quoted_text(line));
    for (const auto& line : port_security_lines(node)) lines.push_back(quoted_text(line));
    if (std::string dns = dns_line(lab, node); !dns.empty()) lines.push_back(quoted_text(dns));
    return lines;
}

std::string legend(const Lab& lab) {
    std::vector<std::string> lines;
    if (has_nat(lab)) {
        lines.push_back(std::string("inside: ") + kInsideWords);
        lines.push_back(std::string("outside: ") + kOutsideWords);
        for (const auto& w : dependence_words()) {
            lines.push_back(std::string(w.short_name) + " " + w.name + ". mapping: " + w.mapping +
                            ". filtering: " + w.filtering + ".");
        }
        lines.push_back(kPortsWords);
    }
    lines.push_back(kSendsWords);
    for (auto& line : lines) line = quoted_text(line);
    return "  subgraph natlab_legend [\"legend\"]\n    natlab_legend_text[\"" +
           join(lines, "<br/>") + "\"]\n  end\n";
}

}  // namespace

std::string render_mermaid(const Lab& lab) {
    std::ostringstream out;
    out << "%% natlab graph of lab " << lab.name << "\n"
        << "flowchart LR\n";
    std::vector<std::string> nats;
    for (const auto& node : lab.nodes) {
        auto [open, close] = brackets(node.kind);
        out << "  " << id_of(node.name) << open << "\"" << join(node_lines(lab, node), "<br/>")
            << "\"" << close << "\n";
        if (node.nat) nats.push_back(id_of(node.name));
    }
    std::vector<std::string> inside, outside;  // link numbers, for linkStyle
    for (std::size_t i = 0; i < lab.links.size(); ++i) {
        const LabLink& link = lab.links[i];
        GraphEnd a = graph_end(lab, link, true), b = graph_end(lab, link, false);
        if (draw_b_first(a, b)) std::swap(a, b);
        out << "  " << id_of(a.node) << " ---|\"" << end_text(a) << " — " << end_text(b) << "\"| "
            << id_of(b.node) << "\n";
        bool in = a.side == NatSide::inside || b.side == NatSide::inside;
        bool out_side = a.side == NatSide::outside || b.side == NatSide::outside;
        // A link between two NATs is one's inside and the other's outside: its
        // label says which; it keeps the default colour.
        if (in != out_side) (in ? inside : outside).push_back(std::to_string(i));
    }
    out << legend(lab);
    if (!nats.empty())
        out << "  classDef nat fill:#fde2c8,stroke:#9a3412\n"
            << "  class " << join(nats, ",") << " nat\n";
    if (!inside.empty())
        out << "  linkStyle " << join(inside, ",") << " stroke:#2563eb,stroke-width:2px\n";
    if (!outside.empty())
        out << "  linkStyle " << join(outside, ",") << " stroke:#ea580c,stroke-width:2px\n";
    return out.str();
}

}  // namespace natlab
