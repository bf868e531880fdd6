#pragma once
// A table of networks with exceptions, as pf's tables have them:
// { 10.0.0.0/8, !10.20.0.0/16, 10.20.5.0/24 }. An address belongs to the
// table when the longest entry that holds it is not an exception. Pure.
#include <string>
#include <vector>

#include "core/util/ip.hpp"

namespace natlab {

struct CidrTableEntry {
    Cidr network;
    bool exception = false;  // written "!10.20.0.0/16"
    std::string str() const { return (exception ? "!" : "") + network.str(); }
    bool operator==(const CidrTableEntry&) const = default;
};

// The table as disjoint networks that hold exactly its addresses, in
// address order: what an nftables set can hold.
std::vector<Cidr> resolve_cidr_table(const std::vector<CidrTableEntry>& entries);

// The upper and lower half of a network one bit longer ("10.0.0.0/8" ->
// "10.0.0.0/9", "10.128.0.0/9"); the network itself when it is one address.
std::pair<Cidr, Cidr> halves(const Cidr& network);

}  // namespace natlab
