#include "core/capture/frame_summary.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <cstdio>

namespace natlab {
namespace {

using Bytes = std::span<const std::uint8_t>;

unsigned be16(Bytes b, std::size_t at) {
    return static_cast<unsigned>(b[at] << 8 | b[at + 1]);
}

std::string ipv4(Bytes b, std::size_t at) {
    char out[16];
    std::snprintf(out, sizeof out, "%u.%u.%u.%u", b[at], b[at + 1], b[at + 2], b[at + 3]);
    return out;
}

std::string ipv6(Bytes b, std::size_t at) {
    char out[INET6_ADDRSTRLEN];
    ::inet_ntop(AF_INET6, b.data() + at, out, sizeof out);
    return out;
}

std::string icmp_words(unsigned type, unsigned code) {
    switch (type) {
        case 0:
            return "echo reply";
        case 8:
            return "echo request";
        case 3:
            return code == 3 ? "port unreachable" : "destination unreachable";
        case 11:
            return "time exceeded";
        default:
            return "type " + std::to_string(type);
    }
}

// TCP, UDP or ICMP in an IPv4 packet whose header ends at `l4`.
std::string transport(Bytes f, unsigned protocol, std::size_t l4, const std::string& src,
                      const std::string& dst, std::size_t end) {
    const std::size_t have = std::min(end, f.size());
    if ((protocol == 6 || protocol == 17) && l4 + 4 <= have) {
        std::string ends = src + ":" + std::to_string(be16(f, l4)) + " > " + dst + ":" +
                           std::to_string(be16(f, l4 + 2));
        if (protocol == 17)
            return "UDP " + ends + " len " + std::to_string(end > l4 + 8 ? end - l4 - 8 : 0);
        std::string flags;
        if (l4 + 14 <= have) {
            unsigned bits = f[l4 + 13];
            const char* names[] = {"F", "S", "R", "P", "."};
            for (int i = 0; i < 5; ++i)
                if (bits & (1u << i)) flags += names[i];
            std::size_t header = (f[l4 + 12] >> 4) * 4u;
            return "TCP " + ends + " [" + flags + "] len " +
                   std::to_string(end > l4 + header ? end - l4 - header : 0);
        }
        return "TCP " + ends;
    }
    if (protocol == 1 && l4 + 2 <= have)
        return "ICMP " + src + " > " + dst + " " + icmp_words(f[l4], f[l4 + 1]);
    return "IP " + src + " > " + dst + " protocol " + std::to_string(protocol);
}

std::string icmpv6_words(unsigned type) {
    switch (type) {
        case 128:
            return "echo request";
        case 129:
            return "echo reply";
        case 133:
            return "router solicitation";
        case 134:
            return "router advertisement";
        case 135:
            return "neighbour solicitation";
        case 136:
            return "neighbour advertisement";
        case 143:
            return "multicast listener report";
        default:
            return "type " + std::to_string(type);
    }
}

// The kernel's own IPv6 chatter (neighbour discovery, MLD) named as such.
std::string ipv6_words(Bytes f, const std::string& src, const std::string& dst, std::size_t end) {
    const unsigned next = f[20];
    const std::size_t l4 = 54;
    if (next == 58 && l4 + 1 <= f.size())
        return "ICMPv6 " + src + " > " + dst + " " + icmpv6_words(f[l4]);
    if (next == 0) return "IPv6 " + src + " > " + dst + " hop-by-hop options (MLD)";
    if (next == 6 || next == 17) return transport(f, next, l4, src, dst, end);
    return "IPv6 " + src + " > " + dst + " next header " + std::to_string(next);
}

}  // namespace

std::string summarize_frame(Bytes f) {
    if (f.size() < 14) return "short frame (" + std::to_string(f.size()) + " bytes)";
    const unsigned ethertype = be16(f, 12);
    if (ethertype == 0x0800 && f.size() >= 34) {
        std::size_t header = (f[14] & 0x0f) * 4u;
        std::size_t end = 14 + be16(f, 16);
        return transport(f, f[23], 14 + header, ipv4(f, 26), ipv4(f, 30), end);
    }
    if (ethertype == 0x86dd && f.size() >= 54)
        return ipv6_words(f, ipv6(f, 22), ipv6(f, 38), 14 + 40u + be16(f, 18));
    if (ethertype == 0x0806 && f.size() >= 42) {
        if (be16(f, 20) == 1) return "ARP who has " + ipv4(f, 38) + "? tell " + ipv4(f, 28);
        return "ARP " + ipv4(f, 28) + " is at the sender";
    }
    char type[8];
    std::snprintf(type, sizeof type, "0x%04x", ethertype);
    return std::string("ethertype ") + type + ", " + std::to_string(f.size()) + " bytes";
}

}  // namespace natlab
