#include "core/dns/unbound_conf.hpp"

namespace natlab {
namespace {

std::string quoted(const std::string& text) {
    return "\"" + text + "\"";
}

}  // namespace

std::string render_unbound_conf(const UnboundSettings& s) {
    bool ipv4 = false, ipv6 = false;
    std::string interfaces;
    for (const auto& a : s.interfaces) {
        (a.family == Family::ipv4 ? ipv4 : ipv6) = true;
        interfaces += "    interface: " + a.str() + "\n";
    }
    std::string out =
        "# The lab's DNS server, written by natlab.\n"
        "server:\n"
        "    username: \"\"\n"
        "    chroot: \"\"\n"
        "    directory: " +
        quoted(s.directory) +
        "\n"
        "    pidfile: " +
        quoted(s.pidfile) +
        "\n"
        "    do-daemonize: no\n"
        "    use-syslog: no\n"
        "    logfile: \"\"\n"
        "    verbosity: 1\n"
        "    num-threads: 1\n"
        // Sockets of its own: no other process binds the lab's addresses.
        "    so-reuseport: no\n"
        // Only the node's own addresses, which the node holds before unbound
        // starts; every node of the lab may ask.
        + interfaces + "    port: 53\n    do-ip4: " + (ipv4 ? "yes" : "no") +
        "\n    do-ip6: " + (ipv6 ? "yes" : "no") +
        "\n"
        "    access-control: 0.0.0.0/0 allow\n"
        "    access-control: ::/0 allow\n"
        // The lab's zone is the whole name space: nothing is asked outside,
        // and a lab name that is private space is answered all the same.
        "    do-not-query-localhost: yes\n"
        "    unblock-lan-zones: yes\n"
        "    insecure-lan-zones: yes\n"
        "    local-zone: \"localhost.\" static\n"
        "    module-config: " +
        quoted(s.dns64 ? "dns64 iterator" : "iterator") + "\n";
    if (s.dns64) out += "    dns64-prefix: " + s.dns64->str() + "\n";
    out +=
        "remote-control:\n"
        "    control-enable: no\n"
        "auth-zone:\n"
        "    name: \".\"\n"
        "    zonefile: " +
        quoted(s.zonefile) +
        "\n"
        "    for-upstream: yes\n"
        "    for-downstream: no\n"
        "    fallback-enabled: no\n";
    return out;
}

}  // namespace natlab
