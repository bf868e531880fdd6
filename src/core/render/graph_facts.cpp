#include "core/render/graph_facts.hpp"

#include "core/condition/describe_condition.hpp"
#include "core/dhcp/lease_time.hpp"
#include "core/nat/nat_outsides.hpp"
#include "core/util/text.hpp"

namespace natlab {

NatSide nat_side(const LabNode& node, const std::string& ifname) {
    if (!node.nat) return NatSide::none;
    return is_nat_outside(*node.nat, ifname) ? NatSide::outside : NatSide::inside;
}

const char* nat_side_word(NatSide side) {
    switch (side) {
        case NatSide::inside:
            return "inside";
        case NatSide::outside:
            return "outside";
        case NatSide::none:
            break;
    }
    return "";
}

const std::array<DependenceWords, 3>& dependence_words() {
    static const std::array<DependenceWords, 3> words = {{
        {"EI", "endpoint-independent",
         "an inside endpoint keeps one public endpoint, whatever it sends to",
         "anyone may send in through a mapping"},
        {"AD", "address-dependent", "a new public endpoint for each remote address",
         "only addresses the inside host has sent to may send in"},
        {"APD", "address-and-port-dependent",
         "a new public endpoint for each remote address and port",
         "only the exact address and port the inside host has sent to may send in"},
    }};
    return words;
}

const char* short_dependence(Dependence d) {
    return dependence_words()[static_cast<std::size_t>(d)].short_name;
}

namespace {

std::vector<std::string> behaviour_lines(const NatBehaviour& nat) {
    // The class name alone: a preset gets a line of its own.
    std::string name = nat.one_to_one ? "one-to-one"
                       : nat.type     ? name_of(*nat.type)
                                      : classic_name(nat.mf);
    std::vector<std::string> lines{"NAT: " + name};
    if (!nat.preset.empty()) lines.push_back("preset: " + nat.preset);
    if (nat.one_to_one) {
        lines.push_back("every port of " + nat.one_to_one->str() + ", both ways");
        return lines;
    }
    lines.push_back(std::string("mapping ") + short_dependence(nat.mf.mapping) + ", filtering " +
                    short_dependence(nat.mf.filtering));
    std::string ports = nat.plain_masquerade() ? "the kernel's choice" : name_of(nat.allocation);
    if (nat.port_range)
        ports += " of " + std::to_string(nat.port_range->first) + "-" +
                 std::to_string(nat.port_range->last);
    lines.push_back("ports: " + ports);
    if (nat.port_block) lines.push_back("blocks of " + std::to_string(nat.port_block) + " ports");
    if (nat.pooled())
        lines.push_back("pool: " + std::to_string(nat.pool.size()) + " addresses, " +
                        name_of(nat.pooling));
    if (nat.hairpinning) lines.push_back("hairpinning");
    if (!nat.firewall) lines.push_back("no firewall (a bare Linux box)");
    if (nat.isolate_inside) lines.push_back("inside networks isolated");
    if (!nat.excluded.empty()) {
        std::vector<std::string> nets;
        for (const auto& e : nat.exclude_written) nets.push_back(e.str());
        lines.push_back("untranslated to " + join(nets, ", "));
    }
    for (const auto& forward : nat.forwards) lines.push_back("forward " + forward.written);
    if (!nat.port_mapping.empty()) {
        std::vector<std::string> protocols;
        for (auto p : nat.port_mapping)
            protocols.push_back(p == MappingProtocol::upnp ? "UPnP" : "NAT-PMP, PCP");
        lines.push_back("port mapping: " + join(protocols, ", "));
    }
    if (nat.allowed_outbound) {
        std::vector<std::string> ports_out;
        for (const auto& p : *nat.allowed_outbound)
            ports_out.push_back(std::string(name_of(p.protocol)) + "/" + std::to_string(p.port));
        lines.push_back("lets out only " +
                        (ports_out.empty() ? std::string("nothing") : join(ports_out, ", ")));
    }
    return lines;
}

}  // namespace

std::string dns_line(const Lab& lab, const LabNode& node) {
    if (!lab.dns || lab.dns->node != node.name) return "";
    std::string line = "DNS server (unbound)";
    if (lab.dns->dns64) line += ", DNS64 " + lab.dns->dns64->str();
    if (std::size_t n = lab.dns->records.size())
        line += ", " + std::to_string(n) + (n == 1 ? " declared name" : " declared names");
    return line;
}

std::string ipv6_line(const Ipv6Side& side) {
    const MappingFiltering& mf = side.behaviour.mf;
    switch (side.mode) {
        case Ipv6Mode::firewall:
            if (!side.behaviour.firewall) return "IPv6: firewall off";
            return std::string("IPv6: firewall, filtering ") + short_dependence(mf.filtering);
        case Ipv6Mode::routed:
            return "IPv6: routed";
        case Ipv6Mode::nptv6:
            return "IPv6: NPTv6" +
                   (side.outside_prefix ? " to " + side.outside_prefix->str() : std::string());
        case Ipv6Mode::nat66:
            return "IPv6: NAT66 " + behaviour_name(side.behaviour) + ", mapping " +
                   short_dependence(mf.mapping) + ", filtering " + short_dependence(mf.filtering);
    }
    return "";
}

std::vector<std::string> port_security_lines(const LabNode& node) {
    std::vector<std::string> lines;
    for (const auto& p : node.port_security) {
        std::vector<std::string> policies;
        if (p.reject_forged_transmits) policies.emplace_back("forged transmits rejected");
        if (p.reject_mac_changes) policies.emplace_back("MAC changes rejected");
        if (p.accept_promiscuous) policies.emplace_back("promiscuous");
        if (!policies.empty()) lines.push_back("port " + p.port + ": " + join(policies, ", "));
    }
    return lines;
}

std::vector<std::string> nat_lines(const NatNode& node) {
    std::vector<std::string> lines = behaviour_lines(node.behaviour);
    if (node.ipv6) lines.push_back(ipv6_line(*node.ipv6));
    if (node.nat64) lines.push_back("NAT64 " + node.nat64->prefix.str());
    return lines;
}

GraphEnd graph_end(const Lab& lab, const LabLink& link, bool a_end) {
    const std::string& node_name = a_end ? link.node_a : link.node_b;
    GraphEnd end;
    end.node = node_name;
    end.ifname = a_end ? link.interface_a : link.interface_b;
    end.mtu = link.mtu;
    const LabNode* node = lab.find_node(node_name);
    if (!node) return end;
    end.kind = node->kind;
    end.side = nat_side(*node, end.ifname);
    if (const LabInterface* iface = node->find_interface(end.ifname)) {
        for (const auto& a : iface->addresses)
            end.addresses.push_back(iface->lease && iface->lease->address == a
                                        ? a.str() + " (DHCP, " +
                                              std::to_string(iface->lease->lease_s) + " s)"
                                        : a.str());
        if (!iface->dhcp_server.empty() && !iface->lease)
            end.addresses.insert(end.addresses.begin(), "DHCP from " + iface->dhcp_server);
        if (iface->link_local) end.addresses.push_back(iface->link_local->str());
        // Its IPv6 address is the kernel's, from the advertised prefix.
        if (iface->slaac) end.addresses.push_back("SLAAC " + iface->slaac->str());
        for (const auto& ra : node->ra)
            if (ra.interface == end.ifname) end.addresses.push_back("advertises its prefixes");
        for (const auto& s : node->dhcp)
            if (s.interface == end.ifname)
                end.addresses.push_back("DHCP " + s.range.str() + ", " + format_lease(s.lease_s));
        // A direction's condition sits at its sender.
        end.sends = describe_condition(iface->condition);
        if (iface->mtu) end.mtu = iface->mtu;
    }
    return end;
}

bool draw_b_first(const GraphEnd& a, const GraphEnd& b) {
    bool reverse = a.side == NatSide::outside || b.side == NatSide::inside;
    bool keep = a.side == NatSide::inside || b.side == NatSide::outside;
    if (reverse != keep) return reverse;
    return a.kind == NodeKind::host && b.kind != NodeKind::host;
}

bool has_nat(const Lab& lab) {
    for (const auto& node : lab.nodes)
        if (node.nat) return true;
    return false;
}

}  // namespace natlab
