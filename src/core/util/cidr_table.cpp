#include "core/util/cidr_table.hpp"

#include <algorithm>

namespace natlab {

std::pair<Cidr, Cidr> halves(const Cidr& network) {
    if (network.prefix >= network.address.bit_width()) return {network, network};
    Cidr low = Cidr{network.address, network.prefix + 1}.network();
    Cidr high = low;
    high.address.bytes[network.prefix / 8] |=
        static_cast<std::uint8_t>(0x80u >> (network.prefix % 8));
    return {low, high};
}

namespace {

bool holds(const Cidr& outer, const Cidr& inner) {
    return outer.address.family == inner.address.family && outer.prefix <= inner.prefix &&
           outer.contains(inner.address);
}

// `from` without `hole` (which it holds): the halves beside the hole's path.
void remove_from(const Cidr& from, const Cidr& hole, std::vector<Cidr>& out) {
    Cidr at = from;
    while (at.prefix < hole.prefix) {
        auto [low, high] = halves(at);
        bool hole_low = holds(low, hole);
        out.push_back(hole_low ? high : low);
        at = hole_low ? low : high;
    }
}

}  // namespace

std::vector<Cidr> resolve_cidr_table(const std::vector<CidrTableEntry>& entries) {
    // Shorter entries first: each longer one overrides them where it lies.
    std::vector<CidrTableEntry> sorted = entries;
    for (auto& e : sorted) e.network = e.network.network();
    std::stable_sort(sorted.begin(), sorted.end(), [](const auto& a, const auto& b) {
        return a.network.prefix < b.network.prefix;
    });
    std::vector<Cidr> in;  // disjoint
    for (const auto& e : sorted) {
        std::vector<Cidr> next;
        bool covered = false;
        for (const Cidr& c : in) {
            if (holds(c, e.network)) {
                covered = true;
                if (e.exception)
                    remove_from(c, e.network, next);
                else
                    next.push_back(c);
            } else if (!holds(e.network, c)) {
                next.push_back(c);
            }
            // A network the entry holds is longer: it came later in the
            // sort, so it cannot be here; equal ones are replaced by the entry.
        }
        if (!e.exception && !covered) next.push_back(e.network);
        in = std::move(next);
    }
    std::sort(in.begin(), in.end());
    return in;
}

}  // namespace natlab
