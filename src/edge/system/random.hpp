#pragma once
// Randomness from the kernel (getrandom), for names that must not collide.
#include <cstddef>
#include <cstdint>
#include <string>

namespace natlab {

std::uint32_t random_u32();

// `bytes` random bytes as hex, for a secret (natlab serve's token): throws
// when the kernel gives none.
std::string random_hex(std::size_t bytes);

}  // namespace natlab
