#include "core/portmap/port_mapping_lease.hpp"

#include <algorithm>
#include <charconv>
#include <optional>

#include "core/input/values.hpp"
#include "core/util/enum_names.hpp"
#include "core/util/text.hpp"

namespace natlab {
namespace {

std::vector<std::string_view> fields(std::string_view line, std::size_t count) {
    std::vector<std::string_view> out;
    while (out.size() + 1 < count) {
        auto colon = line.find(':');
        if (colon == std::string_view::npos) break;
        out.push_back(line.substr(0, colon));
        line.remove_prefix(colon + 1);
    }
    out.push_back(line);  // the description may hold colons
    return out;
}

std::optional<std::int64_t> parse_seconds(std::string_view text) {
    std::int64_t value = 0;
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc() || end != text.data() + text.size() || value < 0) return std::nullopt;
    return value;
}

}  // namespace

std::vector<PortMappingLease> parse_port_mapping_leases(std::string_view text) {
    std::vector<PortMappingLease> leases;
    while (!text.empty()) {
        auto end = std::min(text.find('\n'), text.size());
        std::string_view line = text.substr(0, end);
        text.remove_prefix(std::min(end + 1, text.size()));
        auto f = fields(line, 6);
        if (f.size() != 6 || (f[0] != "UDP" && f[0] != "TCP")) continue;
        auto external = parse_int(f[1], 1, 65535);
        auto address = IpAddress::parse(f[2]);
        auto internal = parse_int(f[3], 1, 65535);
        auto expires = parse_seconds(f[4]);
        if (!external || !address || !internal || !expires) continue;
        leases.push_back({f[0] == "TCP" ? Protocol::tcp : Protocol::udp, *external,
                          Endpoint{*address, static_cast<std::uint16_t>(*internal)}, *expires,
                          std::string(f[5])});
    }
    return leases;
}

std::string describe_lease(const PortMappingLease& lease, const IpAddress& external,
                           const std::string& host, std::int64_t now) {
    std::string text = std::string(name_of(lease.protocol)) + " " +
                       Endpoint{external, static_cast<std::uint16_t>(lease.external_port)}.str() +
                       " -> " + (host.empty() ? "" : host + " ") + lease.internal.str();
    text += lease.expires == 0
                ? ", until deleted"
                : " for " + std::to_string(std::max<std::int64_t>(0, lease.expires - now)) + " s";
    if (!lease.description.empty()) text += ", " + quote(lease.description);
    return text;
}

}  // namespace natlab
