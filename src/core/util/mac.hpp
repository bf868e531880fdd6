#pragma once
// Ethernet (MAC) addresses as plain values: parsed from a file, derived for
// an interface, written for the kernel and for nft.
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace natlab {

struct MacAddress {
    std::array<std::uint8_t, 6> bytes{};

    // "02:00:5e:10:00:01" (hex digits of either case); nullopt otherwise.
    static std::optional<MacAddress> parse(std::string_view text);
    std::string str() const;  // lower case, colons
    bool is_multicast() const { return (bytes[0] & 0x01) != 0; }
    bool is_zero() const { return bytes == std::array<std::uint8_t, 6>{}; }
    bool operator==(const MacAddress&) const = default;
    auto operator<=>(const MacAddress&) const = default;
};

// The address an interface gets when none is written: the same for the same
// lab, node and interface on every create (a port-security rule and a
// capture mean the same thing each time; a DHCP server sees the same
// client), locally administered and unicast (02:xx:xx:xx:xx:xx). `salt`
// picks another when two interfaces of a lab would share one.
MacAddress derived_mac(std::string_view lab, std::string_view node, std::string_view interface,
                       unsigned salt = 0);

}  // namespace natlab
