#pragma once
// A DHCP server as natlab runs it on one interface of a router or NAT node,
// resolved against the lab: the interface's own address (the router it hands
// out), the range it leases from and for how long. Pure.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/util/ip.hpp"

namespace natlab {

struct DhcpRange {
    IpAddress first, last;  // IPv4, first <= last
    bool contains(const IpAddress& address) const;
    std::uint64_t size() const;
    std::string str() const;  // "192.168.122.2-192.168.122.254"
    bool operator==(const DhcpRange&) const = default;
};

struct DhcpServer {
    std::string interface;
    Cidr address;  // the interface's IPv4 address: the clients' router
    DhcpRange range;
    int lease_s = 0;
    bool operator==(const DhcpServer&) const = default;
};

// "A-B" with two IPv4 addresses, A <= B; nullopt otherwise.
std::optional<DhcpRange> parse_dhcp_range(std::string_view text);

// The IPv4 address `n` above `address` (n may be negative); nullopt past the
// ends of the address space.
std::optional<IpAddress> ipv4_offset(const IpAddress& address, std::int64_t n);

}  // namespace natlab
