#include "core/topology/first_clashes.hpp"

#include <algorithm>
#include <map>
#include <optional>

namespace natlab {
namespace {

// The earliest entry of a set, and the earliest on another interface than
// that one: enough to find, for any entry, the earliest of the set on an
// interface other than its own.
class Earliest {
  public:
    void add(std::size_t i, const std::vector<InterfaceAddress>& all) {
        if (!first_ || i < *first_) {
            // The old earliest is the earliest on another interface than i's,
            // unless it shares i's; then the old other one still is.
            if (first_ && all[*first_].interface != all[i].interface) other_ = first_;
            first_ = i;
        } else if (all[i].interface != all[*first_].interface && (!other_ || i < *other_)) {
            other_ = i;
        }
    }
    void add(const Earliest& set, const std::vector<InterfaceAddress>& all) {
        if (set.first_) add(*set.first_, all);
        if (set.other_) add(*set.other_, all);
    }
    // The earliest entry on another interface than j's, if it comes before j.
    std::optional<std::size_t> before(std::size_t j,
                                      const std::vector<InterfaceAddress>& all) const {
        std::optional<std::size_t> c =
            first_ && all[*first_].interface != all[j].interface ? first_ : other_;
        if (c && *c < j) return c;
        return std::nullopt;
    }

  private:
    std::optional<std::size_t> first_, other_;
};

struct Subnet {
    Cidr network;
    std::vector<std::size_t> entries;
    Earliest own, inside;  // its entries; those of the subnets inside it
};

}  // namespace

std::vector<std::pair<std::size_t, std::size_t>> first_clashes(
    const std::vector<InterfaceAddress>& all) {
    // Entries in one subnet all overlap; subnets overlap when one holds the other.
    std::map<std::pair<IpAddress, int>, Subnet> by_network;  // by start, wider first
    for (std::size_t i = 0; i < all.size(); ++i) {
        Cidr net = all[i].address.network();
        Subnet& s = by_network[{net.address, net.prefix}];
        s.network = net;
        s.entries.push_back(i);
        s.own.add(i, all);
    }
    std::vector<std::size_t> clash(all.size(), all.size());  // all.size(): none
    auto note = [&](std::size_t j, const Earliest& set) {
        if (auto i = set.before(j, all)) clash[j] = std::min(clash[j], *i);
    };
    std::vector<Subnet*> holding;  // the subnets that hold the one looked at, widest first
    for (auto& [key, s] : by_network) {
        while (!holding.empty() && !holding.back()->network.overlaps(s.network)) holding.pop_back();
        for (std::size_t j : s.entries) {
            note(j, s.own);
            for (Subnet* wider : holding) note(j, wider->own);
        }
        for (Subnet* wider : holding) wider->inside.add(s.own, all);
        holding.push_back(&s);
    }
    for (auto& [key, s] : by_network)
        for (std::size_t j : s.entries) note(j, s.inside);
    std::vector<std::pair<std::size_t, std::size_t>> pairs;
    for (std::size_t j = 0; j < all.size(); ++j)
        if (clash[j] < all.size()) pairs.emplace_back(clash[j], j);
    return pairs;
}

}  // namespace natlab
