#pragma once
// radvd, which sends a node's router advertisements, as a daemon of its
// namespace: its configuration and command line. Pure.
#include <string>
#include <vector>

#include "core/daemon/daemon_spec.hpp"
#include "core/topology/lab.hpp"

namespace natlab {

// radvd 2.19's configuration: one interface section per advertising
// interface, each prefix on-link and autonomous (SLAAC).
std::string render_radvd_config(const std::vector<RouterAdvertisement>& adverts);

// radvd in the foreground, logging to its standard error. Ready: its pid
// file, written once it has read the configuration and opened its socket.
DaemonSpec radvd_daemon(const std::string& lab, const std::string& node,
                        const std::vector<RouterAdvertisement>& adverts);

}  // namespace natlab
