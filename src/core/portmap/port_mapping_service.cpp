#include "core/portmap/port_mapping_service.hpp"

#include <algorithm>
#include <cstdio>
#include <functional>

#include "core/names/paths.hpp"

namespace natlab {
namespace {

bool offers(const PortMappingService& s, MappingProtocol p) {
    return std::find(s.protocols.begin(), s.protocols.end(), p) != s.protocols.end();
}

// A UUID of the lab and node: the same device every time the lab is made.
std::string device_uuid(const std::string& lab, const std::string& node) {
    std::size_t a = std::hash<std::string>{}(lab + "/" + node);
    std::size_t b = std::hash<std::string>{}(node + "/" + lab);
    char text[40];
    std::snprintf(text, sizeof text, "%08zx-%04zx-4%03zx-8%03zx-%012zx", a & 0xffffffff,
                  (a >> 32) & 0xffff, (a >> 48) & 0xfff, b & 0xfff, (b >> 12) & 0xffffffffffff);
    return text;
}

}  // namespace

PortMappingService port_mapping_service(const std::string& lab, const LabNode& node) {
    const NatNode& nat = *node.nat;
    PortMappingService s;
    s.lab = lab;
    s.node = node.name;
    s.protocols = nat.behaviour.port_mapping;
    s.outside = nat.outside;
    s.external_address = nat.external_address;
    for (const auto& i : node.interfaces)
        if (i.name != nat.outside) s.inside.push_back(i.name);
    s.inside_networks = nat.inside_networks;
    s.config = port_mapping_file(lab, node.name, ".conf");
    s.leases = port_mapping_file(lab, node.name, ".leases");
    s.log = port_mapping_file(lab, node.name, ".log");
    s.pid_file = port_mapping_file(lab, node.name, ".pid");
    return s;
}

std::string render_port_mapping_table(const PortMappingService& service) {
    return std::string("table inet ") + kPortMappingTable +
           " {\n"
           "\tchain forward {\n"
           "\t\ttype filter hook forward priority filter - 10; policy accept;\n"
           "\t}\n"
           "\tchain prerouting {\n"
           "\t\ttype nat hook prerouting priority dstnat - 10; policy accept;\n"
           "\t}\n"
           "\tchain postrouting {\n"
           "\t\ttype nat hook postrouting priority srcnat - 10; policy accept;\n"
           "\t}\n"
           // stund answers miniupnpd only, also on a NAT without a firewall.
           "\tchain input {\n"
           "\t\ttype filter hook input priority filter; policy accept;\n"
           "\t\tiifname \"" +
           service.outside + "\" udp dport { " + std::to_string(kStunPort) + ", " +
           std::to_string(kStunPort + 1) +
           " } drop comment \"the STUN server is the port-mapping service's own\"\n"
           "\t}\n"
           "}\n";
}

// The alternate address is loopback: the answers "from another address"
// stay inside the NAT and never show on a lab link.
std::vector<std::string> stun_server_argv(const PortMappingService& service) {
    return {"stund",     "-h", service.external_address.str(), "-a",
            "127.0.0.1", "-p", std::to_string(kStunPort)};
}

std::vector<std::string> miniupnpd_argv(const PortMappingService& service) {
    // -d: in the foreground, logging to stderr; -P: its own pid file (it
    // refuses to start while another instance's is there).
    return {"miniupnpd", "-d", "-f", service.config, "-P", service.pid_file};
}

std::string render_miniupnpd_config(const PortMappingService& s) {
    auto yes = [&](MappingProtocol p) { return offers(s, p) ? "yes" : "no"; };
    std::string text =
        "# natlab: the port-mapping service of nat node " + s.node + " in lab " + s.lab + "\n";
    text += "ext_ifname=" + s.outside + "\n";
    for (const auto& ifname : s.inside) text += "listening_ip=" + ifname + "\n";
    text += std::string("enable_upnp=") + yes(MappingProtocol::upnp) + "\n";
    text += std::string("enable_natpmp=") + yes(MappingProtocol::pcp) + "\n";
    text += "ext_perform_stun=yes\n";
    text += "ext_stun_host=" + s.external_address.str() + "\n";
    text += "ext_stun_port=" + std::to_string(kStunPort) + "\n";
    text += std::string("upnp_table_name=") + kPortMappingTable + "\n";
    text += std::string("upnp_nat_table_name=") + kPortMappingTable + "\n";
    text += "upnp_forward_chain=forward\n";
    text += "upnp_nat_chain=prerouting\n";
    text += "upnp_nat_postrouting_chain=postrouting\n";
    text += "lease_file=" + s.leases + "\n";
    // A host may map ports to itself only, as home routers allow.
    text += "secure_mode=yes\n";
    text += "system_uptime=no\n";
    // PCP lifetimes as asked (miniupnpd lengthens them to 120 s otherwise):
    // a lab tests expiry in seconds.
    text += "min_lifetime=1\n";
    text += "uuid=" + device_uuid(s.lab, s.node) + "\n";
    text += "friendly_name=natlab " + s.lab + " " + s.node + "\n";
    for (const auto& net : s.inside_networks)
        text += "allow 1-65535 " + net.network().str() + " 1-65535\n";
    text += "deny 0-65535 0.0.0.0/0 0-65535\n";
    return text;
}

std::string miniupnpd_ready_line(const PortMappingService& service) {
    return offers(service, MappingProtocol::pcp) ? "Listening for NAT-PMP/PCP traffic"
                                                 : "HTTP listening on port";
}

}  // namespace natlab
