#pragma once
// Randomness from the kernel (getrandom), for names that must not collide.
#include <cstdint>

namespace natlab {

std::uint32_t random_u32();

}  // namespace natlab
