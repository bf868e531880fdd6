#pragma once
// unbound's configuration for the lab's DNS server (Debian's unbound 1.17).
// Pure.
//
// The lab's names are an auth-zone for the root used for-upstream: the
// iterator asks it as it would ask the internet, so its answers go through
// the dns64 module, which synthesizes an AAAA under the prefix for a name
// that has only A (names in 'local-data' would be answered before the
// modules and never synthesized). No DNSSEC validator: the lab's zone is not
// signed. unbound stays in the foreground, as root in the node's namespace,
// without chroot or remote control, its files under the lab's directory.
#include <optional>
#include <string>
#include <vector>

#include "core/util/ip.hpp"

namespace natlab {

struct UnboundSettings {
    std::string directory, pidfile, zonefile;
    std::vector<IpAddress> interfaces;  // where it listens, port 53
    std::optional<Cidr> dns64;
};

std::string render_unbound_conf(const UnboundSettings& settings);

}  // namespace natlab
