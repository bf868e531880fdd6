#pragma once
#include <string>

namespace natlab {

// The interface a sysctl key is about: "net.ipv4.conf.eth0.rp_filter" ->
// "eth0" (also conf and neigh of IPv6, and neigh of IPv4); "" for a key that
// is not about one. "all", "default" and "lo" come back as they are: they
// name no interface of a link.
std::string sysctl_interface(const std::string& key);

// The same key about another interface: ("net.ipv4.conf.eth0.rp_filter",
// "default") -> "net.ipv4.conf.default.rp_filter"; a key about none as it is.
std::string sysctl_on_interface(const std::string& key, const std::string& ifname);

}  // namespace natlab
