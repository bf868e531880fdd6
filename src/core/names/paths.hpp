#pragma once
// Where a lab's runtime files live: /run/natlab/<lab>/. Pure names only; the
// state store and the container runtime create and remove them.
#include <string>

namespace natlab {

inline constexpr const char* kStateRoot = "/run/natlab";

inline std::string lab_dir(const std::string& lab) {
    return std::string(kStateRoot) + "/" + lab;
}
// Per-node container files: logs/<node>.log holds the container's output;
// containers/<node>/ is where its overlay is mounted (only inside the
// container's own mount namespace, so nothing stays mounted on the host).
inline std::string container_logs_dir(const std::string& lab) {
    return lab_dir(lab) + "/logs";
}
inline std::string container_log(const std::string& lab, const std::string& node) {
    return container_logs_dir(lab) + "/" + node + ".log";
}
inline std::string containers_dir(const std::string& lab) {
    return lab_dir(lab) + "/containers";
}
inline std::string container_dir(const std::string& lab, const std::string& node) {
    return containers_dir(lab) + "/" + node;
}
// A NAT's port-mapping service (miniupnpd): port-mapping/<node>.conf, its
// .leases (the mappings it handed out) and its .log.
inline std::string port_mapping_dir(const std::string& lab) {
    return lab_dir(lab) + "/port-mapping";
}
inline std::string port_mapping_file(const std::string& lab, const std::string& node,
                                     const std::string& suffix) {
    return port_mapping_dir(lab) + "/" + node + suffix;
}
// A NAT's NAT64 translator (tayga): nat64/<node>.conf, its .log and
// nat64/<node>/, where it keeps the addresses it handed out.
inline std::string nat64_dir(const std::string& lab) {
    return lab_dir(lab) + "/nat64";
}
inline std::string nat64_file(const std::string& lab, const std::string& node,
                              const std::string& suffix) {
    return nat64_dir(lab) + "/" + node + suffix;
}
// A node's router advertisements (radvd): ra/<node>.conf, .log and .pid.
inline std::string ra_dir(const std::string& lab) {
    return lab_dir(lab) + "/ra";
}
inline std::string ra_file(const std::string& lab, const std::string& node,
                           const std::string& suffix) {
    return ra_dir(lab) + "/" + node + suffix;
}
// DHCP (core/dhcp): a serving node's dnsmasq files, dhcp/NODE.dnsmasq.conf,
// .leases (what it handed out) and .log; a client interface's
// dhcp/NODE.IFACE.script (udhcpc's hook), .lease (the lease it holds) and .log.
// A node name has no '.', so the two never meet.
inline std::string dhcp_dir(const std::string& lab) {
    return lab_dir(lab) + "/dhcp";
}
inline std::string dhcp_server_file(const std::string& lab, const std::string& node,
                                    const std::string& suffix) {
    return dhcp_dir(lab) + "/" + node + ".dnsmasq" + suffix;
}
inline std::string dhcp_client_file(const std::string& lab, const std::string& node,
                                    const std::string& ifname, const std::string& suffix) {
    return dhcp_dir(lab) + "/" + node + "." + ifname + suffix;
}
// What 'natlab run' hands its command: the lab as JSON (lab_description.hpp).
inline std::string lab_description_path(const std::string& lab) {
    return lab_dir(lab) + "/lab.json";
}
// What goes over /etc on every node of the lab (core/hostnames): its hosts
// and resolv.conf, the directory `ip netns exec` finds through
// /etc/netns/<lab>-<node>.
inline std::string lab_etc_dir(const std::string& lab) {
    return lab_dir(lab) + "/etc";
}
inline std::string lab_hosts_path(const std::string& lab) {
    return lab_etc_dir(lab) + "/hosts";
}
inline std::string lab_resolv_conf_path(const std::string& lab) {
    return lab_etc_dir(lab) + "/resolv.conf";
}
// The lab's DNS server (core/hostnames/dns_daemon): dns/unbound.conf, the
// zone it answers from (dns/lab.zone), its pid file and its log.
inline std::string dns_dir(const std::string& lab) {
    return lab_dir(lab) + "/dns";
}
// In a lab with a DNS server each node has its own resolv.conf (the
// server's addresses it reaches), so each has a directory of its own:
// etc/<node>/.
inline std::string node_etc_dir(const std::string& lab, const std::string& node) {
    return lab_etc_dir(lab) + "/" + node;
}
// The socket systemd-nspawn reports readiness and its leader's pid to.
inline std::string notify_socket_path(const std::string& lab) {
    return lab_dir(lab) + "/notify";
}

}  // namespace natlab
