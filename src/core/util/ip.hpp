#pragma once
// IPv4/IPv6 addresses and prefixes as plain values, with the arithmetic the
// addressing and validation steps need. Pure: no kernel, no sockets.
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace natlab {

enum class Family : std::uint8_t { ipv4, ipv6 };

struct IpAddress {
    Family family = Family::ipv4;
    std::array<std::uint8_t, 16> bytes{};  // IPv4 uses the first 4

    static std::optional<IpAddress> parse(std::string_view text);
    std::string str() const;
    int bit_width() const { return family == Family::ipv4 ? 32 : 128; }
    bool is_ipv6_link_local() const {
        return family == Family::ipv6 && bytes[0] == 0xfe && (bytes[1] & 0xc0) == 0x80;
    }
    bool operator==(const IpAddress&) const = default;
    auto operator<=>(const IpAddress&) const = default;
};

// An address with a prefix length: "10.0.1.2/24" is host 10.0.1.2 on 10.0.1.0/24.
struct Cidr {
    IpAddress address;
    int prefix = 0;

    // Accepts "A/N"; returns nullopt on anything else.
    static std::optional<Cidr> parse(std::string_view text);
    std::string str() const;
    Cidr network() const;    // host bits cleared
    IpAddress last() const;  // host bits set: the IPv4 broadcast address
    bool contains(const IpAddress& ip) const;
    bool overlaps(const Cidr& other) const;
    bool is_network() const { return network().address == address; }
    // The n-th host of the network (n = 1 is the first usable one), with this
    // prefix; nullopt when n runs past the last usable address.
    std::optional<Cidr> host(std::uint64_t n) const;
    bool operator==(const Cidr&) const = default;
    auto operator<=>(const Cidr&) const = default;
};

const char* family_name(Family family);

// The reserved range `network` touches, where no interface address belongs, for
// messages: "loopback (127.0.0.0/8)", "link-local (fe80::/10), where ...",
// "multicast (224.0.0.0/4), ..."; "" for an ordinary unicast network.
std::string reserved_range(const Cidr& network);

// An address and a port: a socket's, a STUN mapped address, one end of a
// conntrack tuple. Port 0 stands for protocols without ports (ICMP).
struct Endpoint {
    IpAddress ip;
    std::uint16_t port = 0;
    std::string str() const;  // "10.0.1.2:41807", "[fd00::1]:53", "10.0.1.2" for port 0
    bool operator==(const Endpoint&) const = default;
    auto operator<=>(const Endpoint&) const = default;
};

}  // namespace natlab
