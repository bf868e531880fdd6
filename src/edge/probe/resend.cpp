#include "edge/probe/resend.hpp"

#include <algorithm>

namespace natlab {

namespace {
using std::chrono::milliseconds;
using Clock = std::chrono::steady_clock;
constexpr milliseconds kResendEvery{50};
}  // namespace

std::optional<Datagram> resend_until(UdpSocket& from, const Endpoint& to,
                                     std::span<const std::uint8_t> bytes, UdpSocket& at,
                                     const std::function<bool(const Datagram&)>& awaited,
                                     milliseconds timeout) {
    auto deadline = Clock::now() + timeout;
    while (Clock::now() < deadline) {
        from.send(to, bytes);
        auto resend = std::min(Clock::now() + kResendEvery, deadline);
        while (Clock::now() < resend) {
            auto left = std::chrono::duration_cast<milliseconds>(resend - Clock::now());
            auto d = at.receive(std::max(left, milliseconds(1)));
            if (d && awaited(*d)) return d;
        }
    }
    return std::nullopt;
}

}  // namespace natlab
