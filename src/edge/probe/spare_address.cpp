#include "edge/probe/spare_address.hpp"

#include "edge/kernel/netlink.hpp"
#include "edge/kernel/netns.hpp"

namespace natlab {

SpareAddress::SpareAddress(int netns_fd, std::string netns, std::string ifname, Cidr address,
                           std::string role)
    : netns_fd_(netns_fd),
      netns_(std::move(netns)),
      ifname_(std::move(ifname)),
      address_(address),
      role_(std::move(role)) {
    NetnsGuard guard(netns_fd_, netns_);
    // Not preferred: the node's own address stays the source of what it
    // sends unbound (IPv6 would otherwise pick the newest address).
    RouteSocket().add_address(ifname_, address_, what("adding"), false);
}

SpareAddress::~SpareAddress() {
    try {
        NetnsGuard guard(netns_fd_, netns_);
        RouteSocket().delete_address(ifname_, address_, what("removing"));
    } catch (const std::exception&) {
        // The namespace is gone with its lab, and the address with it.
    }
}

std::string SpareAddress::what(const char* verb) const {
    return std::string(verb) + " " + role_ + " " + address_.str() + " on " + ifname_ + " in " +
           netns_;
}

}  // namespace natlab
