#include "core/util/ip.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <charconv>

namespace natlab {

std::optional<IpAddress> IpAddress::parse(std::string_view text) {
    // inet_pton stops at a NUL: "10.0.1.0\0 anything" would read as 10.0.1.0.
    if (text.find('\0') != std::string_view::npos) return std::nullopt;
    std::string s(text);
    IpAddress ip;
    if (inet_pton(AF_INET, s.c_str(), ip.bytes.data()) == 1) {
        ip.family = Family::ipv4;
        return ip;
    }
    if (inet_pton(AF_INET6, s.c_str(), ip.bytes.data()) == 1) {
        ip.family = Family::ipv6;
        return ip;
    }
    return std::nullopt;
}

std::string IpAddress::str() const {
    char buf[INET6_ADDRSTRLEN] = {};
    inet_ntop(family == Family::ipv4 ? AF_INET : AF_INET6, bytes.data(), buf, sizeof buf);
    return buf;
}

std::optional<Cidr> Cidr::parse(std::string_view text) {
    auto slash = text.find('/');
    if (slash == std::string_view::npos) return std::nullopt;
    auto ip = IpAddress::parse(text.substr(0, slash));
    if (!ip) return std::nullopt;
    auto digits = text.substr(slash + 1);
    int prefix = -1;
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), prefix);
    if (ec != std::errc{} || end != digits.data() + digits.size() || digits.empty()) {
        return std::nullopt;
    }
    if (prefix < 0 || prefix > ip->bit_width()) return std::nullopt;
    return Cidr{*ip, prefix};
}

std::string Cidr::str() const {
    return address.str() + "/" + std::to_string(prefix);
}

Cidr Cidr::network() const {
    Cidr n = *this;
    int bytes = address.bit_width() / 8;
    for (int i = 0; i < bytes; ++i) {
        int keep = std::clamp(prefix - i * 8, 0, 8);
        auto mask = static_cast<std::uint8_t>(keep == 0 ? 0 : 0xffu << (8 - keep));
        n.address.bytes[i] &= mask;
    }
    return n;
}

IpAddress Cidr::last() const {
    IpAddress ip = address;
    int bytes = address.bit_width() / 8;
    for (int i = 0; i < bytes; ++i) {
        int keep = std::clamp(prefix - i * 8, 0, 8);
        ip.bytes[i] |= static_cast<std::uint8_t>(0xffu >> keep);
    }
    return ip;
}

bool Cidr::contains(const IpAddress& ip) const {
    if (ip.family != address.family) return false;
    return Cidr{ip, prefix}.network().address == network().address;
}

bool Cidr::overlaps(const Cidr& other) const {
    if (other.address.family != address.family) return false;
    int shorter = std::min(prefix, other.prefix);
    return Cidr{address, shorter}.network() == Cidr{other.address, shorter}.network();
}

std::optional<Cidr> Cidr::host(std::uint64_t n) const {
    if (n == 0) return std::nullopt;
    int host_bits = address.bit_width() - prefix;
    // IPv4 /31 and /32 have no network or broadcast address: every address is
    // a host. Otherwise offset 0 is the network address and, for IPv4, the
    // last one is broadcast.
    bool every_address_usable = address.family == Family::ipv4 && host_bits <= 1;
    std::uint64_t offset = every_address_usable ? n - 1 : n;
    if (host_bits < 64) {
        std::uint64_t size = std::uint64_t{1} << host_bits;
        bool has_broadcast = address.family == Family::ipv4 && !every_address_usable;
        std::uint64_t last = has_broadcast ? size - 2 : size - 1;
        if (offset > last) return std::nullopt;
    }
    Cidr result = network();
    std::uint64_t carry = offset;
    for (int i = address.bit_width() / 8 - 1; i >= 0 && carry; --i) {
        std::uint64_t sum = result.address.bytes[i] + (carry & 0xff);
        result.address.bytes[i] = static_cast<std::uint8_t>(sum);
        carry = (carry >> 8) + (sum >> 8);
    }
    return result;
}

const char* family_name(Family family) {
    return family == Family::ipv4 ? "IPv4" : "IPv6";
}

std::string Endpoint::str() const {
    if (port == 0) return ip.str();
    if (ip.family == Family::ipv6) return "[" + ip.str() + "]:" + std::to_string(port);
    return ip.str() + ":" + std::to_string(port);
}

std::string reserved_range(const Cidr& network) {
    struct Range {
        const char* cidr;
        const char* what;
    };
    static const Range kRanges[] = {
        {"127.0.0.0/8", "loopback (127.0.0.0/8)"},
        {"224.0.0.0/4", "multicast (224.0.0.0/4), not for interface addresses"},
        {"::1/128", "loopback (::1)"},
        {"fe80::/10",
         "link-local (fe80::/10), where the kernel gives every interface an address of its own"},
        {"ff00::/8", "multicast (ff00::/8), not for interface addresses"},
    };
    for (const auto& r : kRanges) {
        auto range = Cidr::parse(r.cidr);
        if (range && range->address.family == network.address.family && range->overlaps(network))
            return r.what;
    }
    return "";
}

}  // namespace natlab
