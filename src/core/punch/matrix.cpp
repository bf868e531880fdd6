#include "core/punch/matrix.hpp"

#include "core/punch/matrix_view.hpp"
#include "core/util/invalid_input.hpp"
#include "core/util/text.hpp"

#include <algorithm>
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
              const std::string& ifb, const std::string& subnet, const std::string& subnet6 = "") {
    LinkSpec l;
    l.endpoints = {endpoint(a, ifa), endpoint(b, ifb)};
    l.subnets = {given(*Cidr::parse(subnet))};
    if (!subnet6.empty()) l.subnets.push_back(given(*Cidr::parse(subnet6)));
    return l;
}

// The NAT's IPv6 side for matrix --ipv6: the type's own (firewall, routed,
// nptv6 with a prefix of its own), a preset's, else NAT66 of the type's classes.
std::optional<Ipv6Spec> ipv6_side(const MatrixType& type, const std::string& n) {
    Ipv6Spec spec;
    if (type.ipv6_mode) {
        spec.mode = given(*type.ipv6_mode);
        if (type.ipv6_filtering) spec.nat.filtering = given(*type.ipv6_filtering);
        if (*type.ipv6_mode == "nptv6") spec.prefix = given("2001:db8:ee:" + n + "::/64");
        return spec;
    }
    if (type.preset) return std::nullopt;
    spec.mode = given(std::string("nat66"));
    return spec;
}

NodeSpec node(const std::string& name, NodeKind kind, const std::string& gateway = "") {
    NodeSpec n;
    n.name = given(name);
    n.kind = given(kind);
    if (!gateway.empty()) n.routes.push_back({std::nullopt, {}, given(gateway)});
    return n;
}

}  // namespace

std::string matrix_host(const MatrixType& type, int copy) {
    return type.key + "-" + std::to_string(copy);
}

Topology matrix_topology(const std::vector<MatrixType>& types, Family family) {
    const bool v6 = family == Family::ipv6;
    Topology topo;
    topo.file = "<matrix>";
    topo.name = given(std::string("matrix"));
    topo.nodes.push_back(node("internet", NodeKind::router));
    int subnet = 1;
    for (const auto& type : types) {
        if (type.ipv6_mode && !v6) {
            throw InvalidInput("natlab matrix: --types item " + quote(type.label) +
                               " is an IPv6 side; give --ipv6 to punch over IPv6");
        }
        for (int copy = 1; copy <= 2; ++copy, ++subnet) {
            std::string host = matrix_host(type, copy), nat = "nat-" + host;
            std::string n = std::to_string(subnet);
            NodeSpec nat_node = node(nat, NodeKind::nat, "internet");
            auto set = [](std::optional<Marked<std::string>>& key,
                          const std::optional<std::string>& value) {
                if (value) key = given(*value);
            };
            set(nat_node.nat.type, type.type);
            set(nat_node.nat.mapping, type.mapping);
            set(nat_node.nat.filtering, type.filtering);
            set(nat_node.nat.port_allocation, type.port_allocation);
            set(nat_node.nat.firewall, type.firewall);
            set(nat_node.nat.preset, type.preset);
            nat_node.outside = {given(std::string("wan"))};
            std::string inside6, outside6;
            if (v6) {
                nat_node.ipv6 = ipv6_side(type, n);
                // Behind a translator a unique local prefix, else a global one.
                bool translated = nat_node.ipv6 && nat_node.ipv6->mode &&
                                  nat_node.ipv6->mode->value != "firewall" &&
                                  nat_node.ipv6->mode->value != "routed";
                inside6 = (translated ? "fd00:" : "2001:db8:1:") + n + "::/64";
                outside6 = "2001:db8:ff:" + n + "::/64";
            }
            topo.nodes.push_back(std::move(nat_node));
            topo.nodes.push_back(node(host, NodeKind::host, nat));
            topo.links.push_back(link(nat, "lan", host, "eth0", "10.0." + n + ".0/24", inside6));
            topo.links.push_back(
                link("internet", host, nat, "wan", "100.64." + n + ".0/24", outside6));
        }
    }
    return topo;
}

bool agrees_with_theory(const std::vector<MatrixCell>& cells) {
    return std::all_of(cells.begin(), cells.end(),
                       [](const MatrixCell& c) { return c.run.report.agrees(); });
}

namespace {

std::string cell_text(const PunchReport& r) {
    std::string cell = r.works() ? "works" : "fails";
    if (r.expected == PunchExpectation::race) return cell + " (race)";
    if (!r.agrees())
        cell += r.expected == PunchExpectation::works ? " (theory: works)" : " (theory: fails)";
    return cell;
}

}  // namespace

std::string render_matrix(const std::string& lab, const std::vector<MatrixType>& types,
                          const std::vector<MatrixCell>& cells) {
    std::size_t width = 22;
    for (const auto& t : types) width = std::max(width, t.label.size() + 2);
    for (const auto& c : cells) width = std::max(width, cell_text(c.run.report).size() + 1);
    const int w = static_cast<int>(width);
    std::ostringstream table, why;
    table << std::left << std::setw(w) << "A \\ B";
    for (const auto& type : types) table << std::setw(w) << type.label;
    for (std::size_t i = 0; i < cells.size(); ++i) {
        const MatrixCell& c = cells[i];
        std::size_t row = i / types.size(), column = i % types.size();
        if (column == 0) table << "\n" << std::setw(w) << c.a.label;
        const PunchReport& r = c.run.report;
        table << std::setw(w) << cell_text(r);
        if (!r.works() && row <= column) {  // each failing pair once
            why << "  " << c.a.label << " -> " << c.b.label << ": "
                << (r.a_to_b ? "through" : r.why_not_a_to_b) << "\n";
        }
    }
    std::string out =
        "UDP hole punching between hosts behind each pair of NAT types (measured in "
        "lab " +
        lab + "):\n\n" + table.str() + "\n\n" +
        (agrees_with_theory(cells) ? "Every cell agrees with theory.\n"
                                   : "Some cells disagree with theory (marked).\n");
    for (const auto& note : matrix_theory_notes(types, cells)) out += note + "\n";
    if (!why.str().empty()) out += "Why the failures fail:\n" + why.str();
    return out;
}

nlohmann::json matrix_json(const std::string& lab, const std::vector<MatrixCell>& cells) {
    nlohmann::json pairs = nlohmann::json::array();
    for (const auto& c : cells) {
        pairs.push_back(punch_json(c.run.outcome, c.run.nat_a, c.run.nat_b, c.run.report));
        pairs.back()["a"]["matrix_type"] = c.a.label;
        pairs.back()["b"]["matrix_type"] = c.b.label;
    }
    return {{"lab", lab}, {"agrees_with_theory", agrees_with_theory(cells)}, {"pairs", pairs}};
}

}  // namespace natlab
