#include "core/dhcp/dnsmasq_config.hpp"

namespace natlab {
namespace {

std::string netmask(int prefix) {
    std::uint32_t mask = prefix == 0 ? 0 : ~std::uint32_t{0} << (32 - prefix);
    return std::to_string(mask >> 24) + "." + std::to_string((mask >> 16) & 0xff) + "." +
           std::to_string((mask >> 8) & 0xff) + "." + std::to_string(mask & 0xff);
}

}  // namespace

std::string render_dnsmasq_config(const DhcpService& s) {
    std::string out = "# DHCP server of node " + s.node + " in lab " + s.lab +
                      ", written by natlab.\n"
                      "# DHCP only: the lab's names come from its hosts file, not from here.\n"
                      "port=0\n"
                      "no-resolv\n"
                      "no-hosts\n"
                      // A lab's namespaces are root's; the default user may not exist.
                      "user=root\n"
                      // Several labs run dnsmasq at once: no shared pid file.
                      "pid-file\n"
                      "log-facility=-\n"
                      "log-dhcp\n"
                      // The only server of its segment: it answers a client that asks
                      // for an address it does not know (a lease from before a
                      // restart) with a NAK at once, as a network's own server does.
                      "dhcp-authoritative\n"
                      // natlab knows every static address of the lab and keeps them out
                      // of the range: the ping dnsmasq sends before each offer would only
                      // delay the first lease by a second or more.
                      "no-ping\n"
                      "dhcp-leasefile=" +
                      s.leases + "\n";
    for (const auto& server : s.servers) {
        const std::string& tag = server.interface;
        out += "\ninterface=" + server.interface + "\n";
        out += "dhcp-range=set:" + tag + "," + server.range.first.str() + "," +
               server.range.last.str() + "," + netmask(server.address.prefix) + "," +
               std::to_string(server.lease_s) + "\n";
        out += "dhcp-option=tag:" + tag + ",option:router," + server.address.address.str() + "\n";
        if (!s.resolvers.empty()) {
            out += "dhcp-option=tag:" + tag + ",option:dns-server";
            for (const auto& r : s.resolvers) out += "," + r.str();
            out += "\n";
        }
        out += "dhcp-option=tag:" + tag + ",option:domain-name," + s.lab + "\n";
    }
    return out;
}

DaemonSpec dhcp_server_daemon(const DhcpService& s) {
    const std::string& config = s.config;
    DaemonSpec d;
    d.service = "DHCP server";
    d.package = "dnsmasq-base";
    d.argv = {kDhcpServerProgram, "--keep-in-foreground", "--conf-file=" + config};
    d.files = {{config, render_dnsmasq_config(s)}};
    d.log = s.log;
    d.ready = {DaemonReady::Kind::udp_port, kDhcpServerPort, "", ""};
    return d;
}

}  // namespace natlab
