#include "core/ra/radvd.hpp"

#include "core/names/paths.hpp"

namespace natlab {

std::string render_radvd_config(const std::vector<RouterAdvertisement>& adverts) {
    std::string out = "# natlab: router advertisements (radvd 2.19)\n";
    for (const auto& ra : adverts) {
        // Every 3 to 10 s rather than radvd's 200 to 600 s: a host that
        // comes up late, or a capture started after create, sees one soon.
        out += "interface " + ra.interface +
               " {\n"
               "    AdvSendAdvert on;\n"
               "    MinRtrAdvInterval 3;\n"
               "    MaxRtrAdvInterval 10;\n";
        for (const auto& prefix : ra.prefixes)
            out += "    prefix " + prefix.str() +
                   " {\n"
                   "        AdvOnLink on;\n"
                   "        AdvAutonomous on;\n"
                   "    };\n";
        // radvd 2.19 has no PREF64 option (RFC 8781; 'nat64prefix' came in
        // radvd 2.20): the advertisement cannot carry the prefix yet.
        if (ra.nat64_prefix)
            out += "    # NAT64 prefix " + ra.nat64_prefix->str() +
                   ": not advertised, radvd 2.19 has no PREF64 option\n";
        out += "};\n";
    }
    return out;
}

DaemonSpec radvd_daemon(const std::string& lab, const std::string& node,
                        const std::vector<RouterAdvertisement>& adverts) {
    DaemonSpec d;
    d.service = "router advertisements";
    d.package = "radvd";
    std::string config = ra_file(lab, node, ".conf");
    std::string pid = ra_file(lab, node, ".pid");
    d.argv = {"radvd", "--config", config, "--nodaemon", "--logmethod", "stderr", "--pidfile", pid};
    // The pid file starts empty, so that only this radvd's pid counts as ready.
    d.files = {{config, render_radvd_config(adverts)}, {pid, ""}};
    d.log = ra_file(lab, node, ".log");
    d.ready = {DaemonReady::Kind::file, 0, pid, ""};
    return d;
}

}  // namespace natlab
