#include "core/probe/stun.hpp"

#include <random>

namespace natlab::stun {

namespace {

enum Attribute : std::uint16_t {
    kMappedAddress = 0x0001,
    kChangeRequest = 0x0003,
    kChangedAddress = 0x0005,  // RFC 3489's name for OTHER-ADDRESS
    kXorMappedAddress = 0x0020,
    kResponseOrigin = 0x802B,
    kOtherAddress = 0x802C,
};
constexpr std::uint8_t kFamilyIpv4 = 0x01;
constexpr std::uint8_t kFamilyIpv6 = 0x02;
constexpr std::uint32_t kChangeIpFlag = 0x04;
constexpr std::uint32_t kChangePortFlag = 0x02;
constexpr std::size_t kHeaderSize = 20;

class Writer {
  public:
    void u8(std::uint8_t v) { out.push_back(v); }
    void u16(std::uint16_t v) {
        u8(static_cast<std::uint8_t>(v >> 8));
        u8(static_cast<std::uint8_t>(v));
    }
    void u32(std::uint32_t v) {
        u16(static_cast<std::uint16_t>(v >> 16));
        u16(static_cast<std::uint16_t>(v));
    }
    // XOR-MAPPED-ADDRESS XORs the port with the cookie's top half and the
    // address with the cookie, then (IPv6) the transaction id (RFC 5389 15.2):
    // `mask` is those 16 bytes, or none for the plain attributes.
    void address(std::uint16_t type, const Endpoint& e, const Transaction* mask) {
        const bool v6 = e.ip.family == Family::ipv6;
        const std::size_t size = v6 ? 16 : 4;
        u16(type);
        u16(static_cast<std::uint16_t>(4 + size));
        u8(0);
        u8(v6 ? kFamilyIpv6 : kFamilyIpv4);
        u16(mask ? e.port ^ static_cast<std::uint16_t>(kMagicCookie >> 16) : e.port);
        for (std::size_t i = 0; i < size; ++i) u8(e.ip.bytes[i] ^ (mask ? (*mask)[i] : 0));
    }
    std::vector<std::uint8_t> out;
};

std::uint16_t read16(std::span<const std::uint8_t> b, std::size_t at) {
    return static_cast<std::uint16_t>(b[at] << 8 | b[at + 1]);
}

std::optional<Endpoint> read_address(std::span<const std::uint8_t> value, const Transaction* mask) {
    if (value.size() < 4) return std::nullopt;
    Endpoint e;
    std::size_t size = 0;
    if (value[1] == kFamilyIpv4) {
        size = 4;
    } else if (value[1] == kFamilyIpv6) {
        e.ip.family = Family::ipv6;
        size = 16;
    }
    if (size == 0 || value.size() != 4 + size) return std::nullopt;
    e.port = read16(value, 2);
    if (mask) e.port ^= static_cast<std::uint16_t>(kMagicCookie >> 16);
    for (std::size_t i = 0; i < size; ++i) e.ip.bytes[i] = value[4 + i] ^ (mask ? (*mask)[i] : 0);
    return e;
}

}  // namespace

bool Message::has_magic_cookie() const {
    return transaction[0] == 0x21 && transaction[1] == 0x12 && transaction[2] == 0xA4 &&
           transaction[3] == 0x42;
}

Transaction new_transaction() {
    static thread_local std::mt19937 rng{std::random_device{}()};
    Transaction t{0x21, 0x12, 0xA4, 0x42};
    for (std::size_t i = 4; i < t.size(); ++i) t[i] = static_cast<std::uint8_t>(rng());
    return t;
}

std::vector<std::uint8_t> encode(const Message& m) {
    Writer w;
    w.u16(m.type);
    w.u16(0);  // length, filled in below
    for (auto b : m.transaction) w.u8(b);
    if (m.change_ip || m.change_port) {
        w.u16(kChangeRequest);
        w.u16(4);
        w.u32((m.change_ip ? kChangeIpFlag : 0) | (m.change_port ? kChangePortFlag : 0));
    }
    if (m.mapped) {
        // Old (RFC 3489) clients only read MAPPED-ADDRESS; XOR needs the cookie.
        w.address(kMappedAddress, *m.mapped, nullptr);
        if (m.has_magic_cookie()) w.address(kXorMappedAddress, *m.mapped, &m.transaction);
    }
    if (m.other_address) {
        w.address(m.has_magic_cookie() ? kOtherAddress : kChangedAddress, *m.other_address,
                  nullptr);
    }
    if (m.response_origin) w.address(kResponseOrigin, *m.response_origin, nullptr);
    auto length = static_cast<std::uint16_t>(w.out.size() - kHeaderSize);
    w.out[2] = static_cast<std::uint8_t>(length >> 8);
    w.out[3] = static_cast<std::uint8_t>(length);
    return w.out;
}

std::optional<Message> decode(std::span<const std::uint8_t> b) {
    if (b.size() < kHeaderSize || (b[0] & 0xC0) != 0) return std::nullopt;
    std::size_t length = read16(b, 2);
    if (length % 4 != 0 || kHeaderSize + length > b.size()) return std::nullopt;
    Message m;
    m.type = read16(b, 0);
    if (m.type != kBindingRequest && m.type != kBindingSuccess) return std::nullopt;
    std::copy(b.begin() + 4, b.begin() + 20, m.transaction.begin());
    std::optional<Endpoint> plain_mapped;
    for (std::size_t at = kHeaderSize; at + 4 <= kHeaderSize + length;) {
        std::uint16_t type = read16(b, at);
        std::size_t size = read16(b, at + 2);
        if (at + 4 + size > kHeaderSize + length) return std::nullopt;
        auto value = b.subspan(at + 4, size);
        switch (type) {
            case kChangeRequest:
                if (size != 4) return std::nullopt;
                m.change_ip = value[3] & kChangeIpFlag;
                m.change_port = value[3] & kChangePortFlag;
                break;
            case kMappedAddress:
                plain_mapped = read_address(value, nullptr);
                break;
            case kXorMappedAddress:
                m.mapped = read_address(value, &m.transaction);
                break;
            case kOtherAddress:
            case kChangedAddress:
                m.other_address = read_address(value, nullptr);
                break;
            case kResponseOrigin:
                m.response_origin = read_address(value, nullptr);
                break;
            default:
                break;  // attributes a binding probe does not need
        }
        at += 4 + (size + 3) / 4 * 4;
    }
    if (!m.mapped) m.mapped = plain_mapped;
    return m;
}

}  // namespace natlab::stun
