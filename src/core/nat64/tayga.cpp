#include "core/nat64/tayga.hpp"

#include "core/names/paths.hpp"

namespace natlab {

std::string render_tayga_config(const Nat64Side& nat64, const std::string& data_dir) {
    // ipv6-addr is written out: tayga 0.9.2 refuses a private ipv4-addr
    // under the well-known prefix without it.
    return std::string("# natlab: NAT64 translator (tayga 0.9.2)\n") + "tun-device " +
           kNat64Device + "\n" + "ipv4-addr " + nat64.ipv4_address.str() + "\n" + "ipv6-addr " +
           nat64.ipv6_address.str() + "\n" + "prefix " + nat64.prefix.str() + "\n" +
           "dynamic-pool " + nat64.pool.str() + "\n" + "data-dir " + data_dir + "\n";
}

DaemonSpec tayga_daemon(const std::string& lab, const std::string& node, const Nat64Side& nat64) {
    DaemonSpec d;
    d.service = "NAT64 translator";
    d.package = "tayga";
    std::string config = nat64_file(lab, node, ".conf");
    std::string data_dir = nat64_file(lab, node, "");
    d.argv = {"tayga", "--config", config, "--nodetach"};
    // tayga makes its data directory itself and keeps dynamic.map there.
    d.files = {{config, render_tayga_config(nat64, data_dir)}};
    d.log = nat64_file(lab, node, ".log");
    // Its pid file would come before it opens the TUN device: ready once the
    // device exists, which tayga makes and holds open in one call.
    d.ready = {DaemonReady::Kind::interface, 0, "", kNat64Device};
    return d;
}

}  // namespace natlab
