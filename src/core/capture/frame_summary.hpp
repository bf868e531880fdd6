#pragma once
// One line saying what an Ethernet frame carries, for `natlab capture`'s live
// view: "UDP 10.0.1.2:5000 > 100.64.2.100:4000 len 5". Pure.
#include <cstdint>
#include <span>
#include <string>

namespace natlab {

std::string summarize_frame(std::span<const std::uint8_t> frame);

}  // namespace natlab
