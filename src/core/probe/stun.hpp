#pragma once
// STUN binding messages (RFC 5389) with the RFC 5780 attributes a NAT
// behaviour probe needs: CHANGE-REQUEST, OTHER-ADDRESS, RESPONSE-ORIGIN.
// IPv4 and IPv6 addresses (families 0x01 and 0x02). Pure: bytes in, bytes out.
#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/util/ip.hpp"

namespace natlab {

namespace stun {

inline constexpr std::uint16_t kBindingRequest = 0x0001;
inline constexpr std::uint16_t kBindingSuccess = 0x0101;
inline constexpr std::uint32_t kMagicCookie = 0x2112A442;

// The 4-byte cookie and 12-byte id of RFC 5389; RFC 3489 clients fill all 16
// bytes with their id, which is why they are kept together.
using Transaction = std::array<std::uint8_t, 16>;

struct Message {
    std::uint16_t type = kBindingRequest;
    Transaction transaction{};
    bool change_ip = false;                   // CHANGE-REQUEST: answer from the other address
    bool change_port = false;                 // CHANGE-REQUEST: answer from the other port
    std::optional<Endpoint> mapped;           // XOR-MAPPED-ADDRESS (or MAPPED-ADDRESS)
    std::optional<Endpoint> other_address;    // OTHER-ADDRESS (RFC 3489: CHANGED-ADDRESS)
    std::optional<Endpoint> response_origin;  // RESPONSE-ORIGIN

    bool has_magic_cookie() const;
};

// A new request's transaction: the magic cookie and 12 random bytes.
Transaction new_transaction();

std::vector<std::uint8_t> encode(const Message& message);
// nullopt for anything that is not a well-formed STUN binding message.
std::optional<Message> decode(std::span<const std::uint8_t> bytes);

}  // namespace stun
}  // namespace natlab
