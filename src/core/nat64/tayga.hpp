#pragma once
// tayga, the NAT64's translator, as a daemon of the NAT's namespace: its
// configuration and command line. Pure.
#include <string>

#include "core/daemon/daemon_spec.hpp"
#include "core/nat/nat64_side.hpp"

namespace natlab {

// tayga 0.9.2's configuration: the TUN device, its own addresses, the prefix
// and the dynamic pool, one pool address per IPv6 host, kept in its data
// directory.
std::string render_tayga_config(const Nat64Side& nat64, const std::string& data_dir);

// tayga in the foreground (natlab keeps it, and clean ends it with the
// namespace's other processes). It creates its TUN device when it starts; the
// device goes when tayga does, so no device outlives the translator. Ready:
// the device exists.
DaemonSpec tayga_daemon(const std::string& lab, const std::string& node, const Nat64Side& nat64);

}  // namespace natlab
