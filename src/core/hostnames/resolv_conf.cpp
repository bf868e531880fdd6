#include "core/hostnames/resolv_conf.hpp"

#include "core/hostnames/lab_resolver.hpp"

namespace natlab {

std::string resolv_conf(const Lab& lab) {
    return "# Lab " + lab.name +
           ", written by natlab: the lab's names are in /etc/hosts; no DNS server\n"
           "# runs in the lab, and nothing listens on 127.0.0.1 unless you start it.\n"
           "search " +
           lab.name + "\nnameserver 127.0.0.1\n";
}

std::string resolv_conf(const Lab& lab, const LabNode& node) {
    if (!lab.dns) return resolv_conf(lab);
    std::vector<IpAddress> servers = resolver_addresses(lab, node);
    std::string out = "# Lab " + lab.name + ", node " + node.name +
                      ", written by natlab: the lab's DNS server runs on " + lab.dns->node + ".\n";
    if (servers.empty())
        out += "# " + node.name + " reaches none of " + lab.dns->node +
               "'s addresses by the lab's routes (a NAT or a missing route\n"
               "# between them), so it asks 127.0.0.1, where nothing answers, and fails at "
               "once.\n";
    out += "search " + lab.name + "\n";
    if (servers.empty()) return out + "nameserver 127.0.0.1\n";
    for (const auto& s : servers) out += "nameserver " + s.str() + "\n";
    return out;
}

}  // namespace natlab
