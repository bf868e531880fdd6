#include "cli/probe_options.hpp"

#include <CLI/CLI.hpp>

namespace natlab {

void add_ipv6_flag(CLI::App& cmd, bool& ipv6, const std::string& what) {
    cmd.add_flag("-6,--ipv6", ipv6,
                 what +
                     " over IPv6, between the IPv6 addresses of the hosts and of the node on the "
                     "public side, through each NAT node's IPv6 side (its 'ipv6:' mode: the "
                     "firewall, routed, nat66 or nptv6); the hosts' IPv6 default routes say which "
                     "NAT each is behind");
}

void add_probe_options(CLI::App& cmd, std::string& server, int& timeout_ms, bool& json,
                       bool& ipv6) {
    add_ipv6_flag(cmd, ipv6, "Measure");
    cmd.add_option("--server", server,
                   "Node for the probe server (default: the topology's probe-server, else the "
                   "node the NAT's default route leads to)");
    cmd.add_option("--timeout", timeout_ms,
                   "Milliseconds to wait for an answer that filtering may rightly drop")
        ->check(CLI::Range(50, 10000));
    cmd.add_flag("--json", json, "Print JSON");
}

}  // namespace natlab
