#include "core/hostnames/hosts_file.hpp"

#include "core/names/netns_name.hpp"

namespace natlab {
namespace {

void add_addresses(const LabInterface& iface, std::vector<IpAddress>& out) {
    for (const auto& a : iface.addresses)
        if (!a.address.is_ipv6_link_local()) out.push_back(a.address);
}

}  // namespace

std::vector<IpAddress> name_addresses(const LabNode& node) {
    std::vector<IpAddress> out;
    const std::string outside = node.nat ? node.nat->outside : "";
    if (const LabInterface* i = node.find_interface(outside)) add_addresses(*i, out);
    for (const auto& iface : node.interfaces)
        if (iface.name != outside) add_addresses(iface, out);
    return out;
}

std::vector<std::string> node_names(const Lab& lab, const LabNode& node) {
    std::vector<std::string> names = {node.name + "." + lab.name, node.name};
    std::string machine = netns_name(lab.name, node.name);
    if (node.container && !lab.find_node(machine)) names.push_back(machine);
    return names;
}

std::string hosts_file(const Lab& lab) {
    // glibc's files backend answers a name it finds without asking DNS:
    // a node's IPv4 address here would hide the AAAA DNS64 synthesizes.
    if (lab.dns)
        return "# Lab " + lab.name +
               ", written by natlab: its names are answered by its DNS "
               "server on " +
               lab.dns->node +
               " (see resolv.conf).\n"
               "127.0.0.1\tlocalhost\n"
               "::1\tlocalhost ip6-localhost ip6-loopback\n";
    std::string out = "# The names of lab " + lab.name + ", written by natlab: each node as NODE." +
                      lab.name +
                      " and NODE for every address it holds.\n"
                      "127.0.0.1\tlocalhost\n"
                      "::1\tlocalhost ip6-localhost ip6-loopback\n";
    for (const auto& node : lab.nodes) {
        std::string names;
        for (const auto& name : node_names(lab, node)) names += (names.empty() ? "" : " ") + name;
        for (const auto& address : name_addresses(node)) out += address.str() + "\t" + names + "\n";
    }
    return out;
}

}  // namespace natlab
