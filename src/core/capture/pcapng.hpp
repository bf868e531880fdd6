#pragma once
// pcapng (the capture file format Wireshark reads natively) as bytes: one
// section, an interface block per captured interface (named, so a packet
// shows where it was seen), an enhanced packet block per packet. Pure.
#include <cstdint>
#include <span>
#include <string>

namespace natlab {

// Link types (pcap's DLT numbers): every natlab interface is Ethernet.
inline constexpr std::uint16_t kLinkTypeEthernet = 1;

std::string pcapng_section_header();
// Interface `name` (e.g. "nat0:wan"), timestamps in microseconds.
std::string pcapng_interface(const std::string& name, std::uint16_t link_type,
                             std::uint32_t snap_length);
// A packet seen on interface number `interface` (in the order declared).
std::string pcapng_packet(std::uint32_t interface, std::uint64_t microseconds,
                          std::span<const std::uint8_t> captured, std::uint32_t original_length);

}  // namespace natlab
