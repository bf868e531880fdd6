#include "core/dhcp/dhcp_client.hpp"

namespace natlab {
namespace {

// Single-quoted for sh; names are checked words, quoted all the same.
std::string q(const std::string& s) {
    std::string out = "'";
    for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

}  // namespace

std::string render_dhcp_hook(const DhcpClient& c) {
    return "#!/bin/sh\n"
           "# udhcpc's hook for " +
           c.node + ":" + c.interface + " of lab " + c.lab +
           ", written by natlab: natlab applies each lease\n"
           "# (deconfig, bound, renew, nak, leasefail) through netlink and records it.\n"
           "# A deconfig without a lease (udhcpc's first event) has nothing to undo.\n"
           "[ \"$1\" = deconfig ] && [ ! -e " +
           q(c.lease) +
           " ] && exit 0\n"
           "exec " +
           q(kNatlabProgram) + " " + kDhcpEventCommand + " " + q(c.lab) + " " + q(c.node) + " " +
           q(c.interface) + " \"$1\"\n";
}

DaemonSpec dhcp_client_daemon(const DhcpClient& c) {
    const std::string& hook = c.hook;
    DaemonSpec d;
    d.service = "DHCP client";
    d.package = "udhcpc";
    // -f: stay in the foreground (natlab's spawn detaches it); -t 3 -T 1:
    // three discovers a second apart, then -A 2: two seconds before the next
    // three (busybox waits 3 s and 20 s by default; a lab's server is up
    // before its clients, so a lost first discover is the only delay);
    // -x hostname: the server's lease file names the node.
    d.argv = {kDhcpClientProgram,
              "-f",
              "-i",
              c.interface,
              "-s",
              hook,
              "-t",
              "3",
              "-T",
              "1",
              "-A",
              "2",
              "-x",
              "hostname:" + c.node};
    d.files = {{hook, render_dhcp_hook(c)}};
    d.executables = {hook};
    d.log = c.log;
    d.ready = {DaemonReady::Kind::file, 0, c.lease, ""};
    return d;
}

}  // namespace natlab
