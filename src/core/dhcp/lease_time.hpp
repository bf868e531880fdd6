#pragma once
// A DHCP lease time as written ("1h", "2m", "90s", "1d" or plain seconds) and
// as printed back. Pure.
#include <optional>
#include <string>
#include <string_view>

namespace natlab {

// libvirt's NAT networks lease for an hour: the default of a served interface.
inline constexpr int kDefaultLeaseSeconds = 3600;
// dnsmasq raises anything shorter to two minutes, so a shorter one written
// would not be the lease clients get: refused instead.
inline constexpr int kMinLeaseSeconds = 120;
// A week: longer gives nothing a lab can see.
inline constexpr int kMaxLeaseSeconds = 7 * 24 * 3600;

// Seconds, or nullopt when the text is not a whole number with an optional
// unit s, m, h or d.
std::optional<int> parse_lease_seconds(std::string_view text);

// The largest unit that divides it: 3600 -> "1h", 150 -> "150s".
std::string format_lease(int seconds);

}  // namespace natlab
