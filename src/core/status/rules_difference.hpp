#pragma once
// A NAT's live nftables table against its declared one, both as the kernel
// lists them ("nft list table ip natlab"): the declared one is loaded in a
// scratch namespace and listed back, so both are in the kernel's own words.
// What the rules learn as packets pass (the elements of dynamic sets and
// maps, counters' packets and bytes) is no part of the declaration, and the
// order of the table's objects is none either (rules that replace others
// make their chains anew). Pure.
#include <string>
#include <vector>

namespace natlab {

// How `live` differs from `declared`, each difference in words ("chain
// postrouting has 4 rules where 3 are declared", "chain pause is not
// declared", "set taken is missing"); empty when alike. A `live` of "" is a
// table that is not there.
std::vector<std::string> rules_differences(const std::string& declared, const std::string& live);

}  // namespace natlab
