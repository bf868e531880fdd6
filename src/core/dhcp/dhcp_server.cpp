#include "core/dhcp/dhcp_server.hpp"

namespace natlab {
namespace {

std::uint32_t value_of(const IpAddress& a) {
    return (std::uint32_t{a.bytes[0]} << 24) | (std::uint32_t{a.bytes[1]} << 16) |
           (std::uint32_t{a.bytes[2]} << 8) | std::uint32_t{a.bytes[3]};
}

IpAddress ipv4_of(std::uint32_t v) {
    IpAddress a;
    a.family = Family::ipv4;
    a.bytes[0] = static_cast<std::uint8_t>(v >> 24);
    a.bytes[1] = static_cast<std::uint8_t>(v >> 16);
    a.bytes[2] = static_cast<std::uint8_t>(v >> 8);
    a.bytes[3] = static_cast<std::uint8_t>(v);
    return a;
}

}  // namespace

bool DhcpRange::contains(const IpAddress& address) const {
    return address.family == Family::ipv4 && value_of(first) <= value_of(address) &&
           value_of(address) <= value_of(last);
}

std::uint64_t DhcpRange::size() const {
    return std::uint64_t{value_of(last)} - value_of(first) + 1;
}

std::string DhcpRange::str() const {
    return first.str() + "-" + last.str();
}

std::optional<DhcpRange> parse_dhcp_range(std::string_view text) {
    auto dash = text.find('-');
    if (dash == std::string_view::npos) return std::nullopt;
    auto first = IpAddress::parse(text.substr(0, dash));
    auto last = IpAddress::parse(text.substr(dash + 1));
    if (!first || !last || first->family != Family::ipv4 || last->family != Family::ipv4 ||
        value_of(*first) > value_of(*last))
        return std::nullopt;
    return DhcpRange{*first, *last};
}

std::optional<IpAddress> ipv4_offset(const IpAddress& address, std::int64_t n) {
    std::int64_t v = std::int64_t{value_of(address)} + n;
    if (v < 0 || v > 0xffffffffLL) return std::nullopt;
    return ipv4_of(static_cast<std::uint32_t>(v));
}

}  // namespace natlab
