#include "core/punch/matrix.hpp"

#include <iomanip>
#include <sstream>

namespace natlab {
namespace {

template <class T>
Marked<T> given(T value) {
    return {std::move(value), {}};
}

EndpointSpec endpoint(const std::string& node, const std::string& ifname) {
    EndpointSpec e;
    e.node = given(node);
    e.interface = given(ifname);
    return e;
}

LinkSpec link(const std::string& a, const std::string& ifa, const std::string& b,
              const std::string& ifb, const std::string& subnet) {
    LinkSpec l;
    l.endpoints = {endpoint(a, ifa), endpoint(b, ifb)};
    l.subnets = {given(*Cidr::parse(subnet))};
    return l;
}

NodeSpec node(const std::string& name, NodeKind kind, const std::string& gateway = "") {
    NodeSpec n;
    n.name = given(name);
    n.kind = given(kind);
    if (!gateway.empty()) n.routes.push_back({std::nullopt, {}, given(gateway)});
    return n;
}

}  // namespace

const std::vector<MatrixType>& matrix_types() {
    static const std::vector<MatrixType> types = {{"full", NatType::full_cone},
                                                  {"restricted", NatType::restricted_cone},
                                                  {"port", NatType::port_restricted_cone},
                                                  {"sym", NatType::symmetric}};
    return types;
}

std::string matrix_host(const MatrixType& type, int copy) {
    return type.key + "-" + std::to_string(copy);
}

Topology matrix_topology() {
    Topology topo;
    topo.file = "<matrix>";
    topo.name = given(std::string("matrix"));
    topo.nodes.push_back(node("internet", NodeKind::router));
    int subnet = 1;
    for (const auto& type : matrix_types()) {
        for (int copy = 1; copy <= 2; ++copy, ++subnet) {
            std::string host = matrix_host(type, copy), nat = "nat-" + host;
            std::string n = std::to_string(subnet);
            NodeSpec nat_node = node(nat, NodeKind::nat, "internet");
            nat_node.nat.type = given(std::string(name_of(type.type)));
            nat_node.outside = {given(std::string("wan"))};
            topo.nodes.push_back(std::move(nat_node));
            topo.nodes.push_back(node(host, NodeKind::host, nat));
            topo.links.push_back(link(nat, "lan", host, "eth0", "10.0." + n + ".0/24"));
            topo.links.push_back(link("internet", host, nat, "wan", "100.64." + n + ".0/24"));
        }
    }
    return topo;
}

bool agrees_with_theory(const std::vector<MatrixCell>& cells) {
    for (const auto& c : cells)
        if (c.run.report.works() != c.run.report.expected) return false;
    return true;
}

std::string render_matrix(const std::string& lab, const std::vector<MatrixCell>& cells) {
    std::ostringstream table, notes;
    table << std::left << std::setw(22) << "A \\ B";
    for (const auto& type : matrix_types()) table << std::setw(22) << name_of(type.type);
    for (std::size_t i = 0; i < cells.size(); ++i) {
        const MatrixCell& c = cells[i];
        std::size_t row = i / matrix_types().size(), column = i % matrix_types().size();
        if (column == 0) table << "\n" << std::setw(22) << name_of(c.a.type);
        const PunchReport& r = c.run.report;
        std::string cell = r.works() ? "works" : "fails";
        if (r.works() != r.expected) cell += r.expected ? " (theory: works)" : " (theory: fails)";
        table << std::setw(22) << cell;
        if (!r.works() && row <= column) {  // each failing pair once
            notes << "  " << name_of(c.a.type) << " -> " << name_of(c.b.type) << ": "
                  << (r.a_to_b ? "through" : r.why_not_a_to_b) << "\n";
        }
    }
    std::string out =
        "UDP hole punching between hosts behind each pair of NAT types (measured in "
        "lab " +
        lab + "):\n\n" + table.str() + "\n\n" +
        (agrees_with_theory(cells) ? "Every cell agrees with theory.\n"
                                   : "Some cells disagree with theory (marked).\n");
    if (!notes.str().empty()) out += "Why the failures fail:\n" + notes.str();
    return out;
}

nlohmann::json matrix_json(const std::string& lab, const std::vector<MatrixCell>& cells) {
    nlohmann::json pairs = nlohmann::json::array();
    for (const auto& c : cells)
        pairs.push_back(punch_json(c.run.outcome, c.run.nat_a, c.run.nat_b, c.run.report));
    return {{"lab", lab}, {"agrees_with_theory", agrees_with_theory(cells)}, {"pairs", pairs}};
}

}  // namespace natlab
