#pragma once
// Which of a node's addresses clash: two interfaces of one node must not
// hold one address, nor overlapping subnets.
#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include "core/util/ip.hpp"

namespace natlab {

struct InterfaceAddress {
    std::string interface;
    Cidr address;  // with its subnet's prefix
};

// For each entry j whose network overlaps that of an earlier entry on another
// interface, the pair (i, j) with the first such i; in order of j. Each
// address is told once: a node with 1000 interfaces in one subnet has 999
// clashes to fix, not half a million pairs. O(n log n): subnets are prefixes,
// so the ones containing any subnet form a chain at most 129 long.
std::vector<std::pair<std::size_t, std::size_t>> first_clashes(
    const std::vector<InterfaceAddress>& addresses);

}  // namespace natlab
