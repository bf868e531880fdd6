#pragma once
// What natlab serve checks of every request before it answers: the Host
// header names the address it listens on (a page of another site that a
// DNS name rebinds to 127.0.0.1 sends its own name), and a change carries
// the token serve printed. Pure.
#include <string>
#include <string_view>

namespace natlab {

// Where natlab serve and natlab run --serve listen unless told: loopback,
// a port of no well-known service, easy to say aloud in a classroom.
inline constexpr const char* kDefaultServeAddress = "127.0.0.1:7180";

struct ListenAddress {
    std::string host;  // "127.0.0.1", "::1", "0.0.0.0", "192.0.2.7"
    int port = 0;
    // "127.0.0.1:7180", "[::1]:7180": as a URL writes it.
    std::string authority() const;
};

// "127.0.0.1:7180", "[::1]:7180", "localhost:7180" (loopback only); nullopt-like
// empty host on a malformed value.
ListenAddress parse_listen_address(std::string_view text);

// The Host header names this server: its own address and port, or, when it
// listens on loopback, localhost with that port.
bool host_allowed(std::string_view host_header, const ListenAddress& listen);

// Compares in time that does not depend on where the two differ.
bool token_matches(std::string_view given, std::string_view expected);

}  // namespace natlab
