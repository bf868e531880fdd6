#include "core/topology/validate_dns.hpp"

#include "core/util/text.hpp"

namespace natlab {
namespace {

std::string line_column(const SourcePos& pos) {
    return std::to_string(pos.line) + ":" + std::to_string(pos.column);
}

}  // namespace

std::optional<LabDns> resolve_dns(const Topology& topo, const Lab& lab, Diagnostics& diag) {
    const NodeSpec* server = nullptr;
    for (const auto& node : topo.nodes) {
        if (!node.dns) continue;
        if (server) {
            // Every node's resolv.conf names one server: two would each
            // answer for the whole lab, and the nodes could only ask one.
            diag.error(node.dns->pos,
                       "node " + quote(node.name.value) + " has 'dns', and so has node " +
                           quote(server->name.value) + " at " + line_column(server->dns->pos) +
                           "; a lab has one DNS server: remove one of them");
            continue;
        }
        server = &node;
    }
    if (!server) return std::nullopt;
    const LabNode* node = lab.find_node(server->name.value);
    bool addressed = false;
    for (const auto& i : node ? node->interfaces : std::vector<LabInterface>{})
        addressed = addressed || !i.addresses.empty();
    if (!addressed) {
        diag.error(server->dns->pos, "node " + quote(server->name.value) +
                                         " has 'dns' but no address to answer at; link it to "
                                         "the nodes that ask, with a subnet");
        return std::nullopt;
    }
    LabDns dns{server->name.value, std::nullopt, {}};
    if (server->dns->dns64) dns.dns64 = server->dns->dns64->value;
    const std::string domain = "." + topo.name.value;
    for (const auto& record : server->dns->records) {
        const std::string& name = record.name.value;
        if (name.ends_with(domain) && topo.find_node(name.substr(0, name.size() - domain.size()))) {
            diag.error(record.name.pos, "name " + quote(name) + " is node " +
                                            quote(name.substr(0, name.size() - domain.size())) +
                                            "'s, which the DNS server answers with its addresses; "
                                            "choose another name");
            continue;
        }
        DnsName out{name, {}};
        for (const auto& a : record.addresses) out.addresses.push_back(a.value);
        if (!out.addresses.empty()) dns.records.push_back(std::move(out));
    }
    return dns;
}

}  // namespace natlab
