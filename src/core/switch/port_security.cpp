#include "core/switch/port_security.hpp"

#include "core/nat/render_nft.hpp"

namespace natlab {
namespace {

std::string quoted(const std::string& s) {
    return "\"" + s + "\"";
}

// A unicast destination: the group bit of the first byte clear.
constexpr const char* kUnicast = "ether daddr & 01:00:00:00:00:00 == 00:00:00:00:00:00";

}  // namespace

std::string port_security_counter(const std::string& policy, const std::string& port) {
    return policy + "_" + port;
}

std::string render_port_security_bridge(const std::vector<PortSecurity>& ports) {
    std::string counters, rules;
    auto counter = [&](const std::string& policy, const PortSecurity& p, const std::string& why) {
        const std::string name = port_security_counter(policy, p.port);
        counters += "\tcounter " + name + " { comment " + quoted(why) + "; }\n";
        return " counter name " + quoted(name) + " drop";
    };
    for (const auto& p : ports) {
        const std::string mac = p.mac.str(), port = quoted(p.port);
        if (p.reject_forged_transmits)
            rules += "\t\tiifname " + port + " ether saddr != " + mac +
                     counter("forged", p, "forged transmits from " + p.host) + " comment " +
                     quoted("forged-transmits reject: " + p.host + " sends only from " + mac) +
                     "\n";
        if (p.reject_mac_changes)
            rules += "\t\toifname " + port + " " + kUnicast + " ether daddr != " + mac +
                     counter("changed", p, "frames to a MAC " + p.host + " was not given") +
                     " comment " +
                     quoted("mac-changes reject: " + p.host + " is reached at " + mac + " only") +
                     "\n";
    }
    if (rules.empty()) return "";
    return "table bridge " + std::string(kNatTable) + " {\n" + counters +
           "\tchain forward {\n\t\ttype filter hook forward priority filter; policy accept;\n" +
           rules + "\t}\n}\n";
}

std::string render_port_security_netdev(const std::vector<PortSecurity>& ports) {
    std::string chains;
    for (const auto& p : ports) {
        if (!p.accept_promiscuous) continue;
        std::string others;
        for (const auto& o : ports)
            if (o.port != p.port) others += (others.empty() ? "" : ", ") + quoted(o.port);
        if (others.empty()) continue;
        // Broadcast and multicast reach the port anyway, and what is sent to
        // its own host already goes there: copies of the rest only.
        chains +=
            "\tchain promiscuous_" + p.port + " {\n\t\ttype filter hook ingress devices = { " +
            others + " } priority filter; policy accept;\n\t\t" + kUnicast +
            " ether daddr != " + p.mac.str() + " dup to " + quoted(p.port) + " comment " +
            quoted("promiscuous accept: " + p.host + " sees what the other ports send") + "\n\t}\n";
    }
    if (chains.empty()) return "";
    return "table netdev " + std::string(kNatTable) + " {\n" + chains + "}\n";
}

}  // namespace natlab
