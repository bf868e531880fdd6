#include "core/dhcp/dhcp_lease.hpp"

#include <sstream>

#include "core/util/json.hpp"

namespace natlab {
namespace {

using nlohmann::json;

std::vector<IpAddress> addresses_in(const std::string& words) {
    std::vector<IpAddress> out;
    std::istringstream in(words);
    for (std::string w; in >> w;)
        if (auto a = IpAddress::parse(w); a && a->family == Family::ipv4) out.push_back(*a);
    return out;
}

// "255.255.255.0" -> 24; nullopt for a mask with holes.
std::optional<int> prefix_of_mask(const std::string& text) {
    auto mask = IpAddress::parse(text);
    if (!mask || mask->family != Family::ipv4) return std::nullopt;
    int prefix = 0;
    bool ended = false;
    for (int i = 0; i < 4; ++i)
        for (int bit = 7; bit >= 0; --bit) {
            bool set = (mask->bytes[i] >> bit) & 1;
            if (set && ended) return std::nullopt;
            if (set)
                ++prefix;
            else
                ended = true;
        }
    return prefix;
}

std::optional<std::int64_t> whole(const std::string& text) {
    if (text.empty() || text.size() > 12 ||
        text.find_first_not_of("0123456789") != std::string::npos)
        return std::nullopt;
    return std::stoll(text);
}

}  // namespace

json lease_json(const DhcpLease& l) {
    json resolvers = json::array();
    for (const auto& r : l.resolvers) resolvers.push_back(r.str());
    return {{"node", l.node},
            {"interface", l.interface},
            {"address", l.address.str()},
            {"router", or_null(l.router)},
            {"resolvers", resolvers},
            {"server", or_null(l.server)},
            {"domain", l.domain},
            {"lease_s", l.lease_s},
            {"obtained", l.obtained},
            {"expires", l.expires()}};
}

std::optional<DhcpLease> parse_lease(const std::string& text) {
    json j = json::parse(text, nullptr, false);
    if (!j.is_object()) return std::nullopt;
    try {
        DhcpLease l;
        l.node = j.at("node").get<std::string>();
        l.interface = j.at("interface").get<std::string>();
        auto address = Cidr::parse(j.at("address").get<std::string>());
        if (!address) return std::nullopt;
        l.address = *address;
        if (j.at("router").is_string()) l.router = IpAddress::parse(j["router"].get<std::string>());
        for (const auto& r : j.at("resolvers"))
            if (auto a = IpAddress::parse(r.get<std::string>())) l.resolvers.push_back(*a);
        if (j.at("server").is_string()) l.server = IpAddress::parse(j["server"].get<std::string>());
        l.domain = j.at("domain").get<std::string>();
        l.lease_s = j.at("lease_s").get<std::int64_t>();
        l.obtained = j.at("obtained").get<std::int64_t>();
        return l;
    } catch (const json::exception&) {
        return std::nullopt;
    }
}

std::optional<DhcpLease> lease_from_udhcpc(
    const std::string& node, const std::string& interface,
    const std::function<std::optional<std::string>(const char*)>& env, std::int64_t now,
    std::string& problem) {
    DhcpLease l;
    l.node = node;
    l.interface = interface;
    l.obtained = now;
    auto ip = IpAddress::parse(env("ip").value_or(""));
    if (!ip || ip->family != Family::ipv4) {
        problem = "udhcpc gave no IPv4 address (ip=" + env("ip").value_or("") + ")";
        return std::nullopt;
    }
    std::optional<int> prefix;
    if (auto mask = env("mask")) {
        if (auto n = whole(*mask); n && *n <= 32) prefix = static_cast<int>(*n);
    }
    if (!prefix)
        if (auto subnet = env("subnet")) prefix = prefix_of_mask(*subnet);
    if (!prefix) {
        problem = "udhcpc gave no subnet mask for " + ip->str();
        return std::nullopt;
    }
    l.address = Cidr{*ip, *prefix};
    if (auto routers = addresses_in(env("router").value_or("")); !routers.empty())
        l.router = routers.front();
    l.resolvers = addresses_in(env("dns").value_or(""));
    if (auto servers = addresses_in(env("serverid").value_or("")); !servers.empty())
        l.server = servers.front();
    l.domain = env("domain").value_or("");
    l.lease_s = whole(env("lease").value_or("")).value_or(0);
    return l;
}

}  // namespace natlab
