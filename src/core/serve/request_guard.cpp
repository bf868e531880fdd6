#include "core/serve/request_guard.hpp"

#include <charconv>

namespace natlab {

std::string ListenAddress::authority() const {
    const bool v6 = host.find(':') != std::string::npos;
    return (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

ListenAddress parse_listen_address(std::string_view text) {
    ListenAddress out;
    const auto colon = text.rfind(':');
    if (colon == std::string_view::npos) return out;
    std::string_view host = text.substr(0, colon), port = text.substr(colon + 1);
    if (host.size() >= 2 && host.front() == '[' && host.back() == ']')
        host = host.substr(1, host.size() - 2);
    int number = 0;
    auto [end, error] = std::from_chars(port.data(), port.data() + port.size(), number);
    if (error != std::errc{} || end != port.data() + port.size() || number < 0 || number > 65535)
        return out;
    out.host = host == "localhost" ? "127.0.0.1" : std::string(host);
    out.port = number;
    return out;
}

namespace {

bool loopback(const std::string& host) {
    return host == "::1" || host.starts_with("127.");
}

bool wildcard(const std::string& host) {
    return host == "0.0.0.0" || host == "::";
}

// "192.0.2.7:7180" or "[2001:db8::7]:7180": an address, never a DNS name.
bool address_literal(std::string_view host_header, std::string_view port) {
    if (!host_header.ends_with(port)) return false;
    std::string_view host = host_header.substr(0, host_header.size() - port.size());
    if (host.size() > 2 && host.front() == '[' && host.back() == ']')
        return host.find_first_not_of("0123456789abcdefABCDEF:.", 1) == host.size() - 1;
    return !host.empty() && host.find_first_not_of("0123456789.") == std::string_view::npos;
}

}  // namespace

bool host_allowed(std::string_view host_header, const ListenAddress& listen) {
    const std::string port = ":" + std::to_string(listen.port);
    if (host_header == listen.authority()) return true;
    if (loopback(listen.host) || wildcard(listen.host))
        if (host_header == "localhost" + port || host_header == "127.0.0.1" + port ||
            host_header == "[::1]" + port)
            return true;
    // Listening on every address, the page may be reached by any of them.
    return wildcard(listen.host) && address_literal(host_header, port);
}

bool token_matches(std::string_view given, std::string_view expected) {
    unsigned char differ = given.size() == expected.size() ? 0 : 1;
    for (std::size_t i = 0; i < expected.size(); ++i)
        differ |= static_cast<unsigned char>(expected[i] ^ (i < given.size() ? given[i] : 0));
    return differ == 0 && !expected.empty();
}

}  // namespace natlab
