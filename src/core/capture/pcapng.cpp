#include "core/capture/pcapng.hpp"

namespace natlab {
namespace {

// Blocks are written in the host's byte order, which the section header's
// byte-order magic declares to readers.
template <typename T>
void put(std::string& out, T value) {
    out.append(reinterpret_cast<const char*>(&value), sizeof value);
}

void pad_to_4(std::string& out) {
    while (out.size() % 4) out.push_back('\0');
}

// type, total length, body, total length again.
std::string block(std::uint32_t type, std::string body) {
    pad_to_4(body);
    const auto length = static_cast<std::uint32_t>(body.size() + 12);
    std::string out;
    put(out, type);
    put(out, length);
    out += body;
    put(out, length);
    return out;
}

void option(std::string& out, std::uint16_t code, const std::string& value) {
    put(out, code);
    put(out, static_cast<std::uint16_t>(value.size()));
    out += value;
    pad_to_4(out);
}

void end_of_options(std::string& out) {
    put(out, std::uint32_t{0});
}

}  // namespace

std::string pcapng_section_header() {
    std::string body;
    put(body, std::uint32_t{0x1A2B3C4D});  // byte-order magic
    put(body, std::uint16_t{1});           // version 1.0
    put(body, std::uint16_t{0});
    put(body, std::int64_t{-1});  // section length: not given
    option(body, 4, "natlab");    // shb_userappl
    end_of_options(body);
    return block(0x0A0D0D0A, body);
}

std::string pcapng_interface(const std::string& name, std::uint16_t link_type,
                             std::uint32_t snap_length) {
    std::string body;
    put(body, link_type);
    put(body, std::uint16_t{0});
    put(body, snap_length);
    option(body, 2, name);  // if_name
    end_of_options(body);
    return block(0x00000001, body);
}

std::string pcapng_packet(std::uint32_t interface, std::uint64_t microseconds,
                          std::span<const std::uint8_t> captured, std::uint32_t original_length) {
    std::string body;
    put(body, interface);
    put(body, static_cast<std::uint32_t>(microseconds >> 32));
    put(body, static_cast<std::uint32_t>(microseconds & 0xffffffffu));
    put(body, static_cast<std::uint32_t>(captured.size()));
    put(body, original_length);
    body.append(reinterpret_cast<const char*>(captured.data()), captured.size());
    pad_to_4(body);
    return block(0x00000006, body);
}

}  // namespace natlab
