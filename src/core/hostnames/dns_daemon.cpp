#include "core/hostnames/dns_daemon.hpp"

#include "core/dns/dns_zone.hpp"
#include "core/dns/unbound_conf.hpp"
#include "core/hostnames/hosts_file.hpp"
#include "core/hostnames/lab_resolver.hpp"
#include "core/names/paths.hpp"

namespace natlab {

std::vector<IpAddress> dns_listen_addresses(const Lab& lab) {
    const LabNode* server = lab.find_node(lab.dns->node);
    return server ? name_addresses(*server) : std::vector<IpAddress>{};
}

DaemonSpec dns_daemon(const Lab& lab) {
    const std::string dir = dns_dir(lab.name);
    UnboundSettings settings{dir, dir + "/unbound.pid", dir + "/lab.zone",
                             dns_listen_addresses(lab), lab.dns->dns64};
    DaemonSpec spec;
    spec.service = "DNS server";
    spec.package = "unbound";
    spec.argv = {kDnsProgram, "-d", "-c", dir + "/unbound.conf"};
    spec.files = {
        {dir + "/unbound.conf", render_unbound_conf(settings)},
        {settings.zonefile, render_zone(lab.dns->node + "." + lab.name, lab_dns_names(lab))}};
    spec.log = dir + "/unbound.log";
    spec.ready = {DaemonReady::Kind::udp_port, 53, "", ""};
    return spec;
}

}  // namespace natlab
