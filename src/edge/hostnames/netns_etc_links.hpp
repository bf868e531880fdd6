#pragma once
// The links natlab makes in /etc/netns, one per node (core/names/netns_etc):
// what `ip netns exec <lab>-<node>` finds there it lays over /etc. An entry
// is natlab's only when it is a symbolic link whose target is the one natlab
// gives a lab whose node the entry's name is; every other is left alone.
#include <string>
#include <vector>

#include "core/topology/lab.hpp"

namespace natlab {

// Why the lab cannot have its entry for `node`: "" when there is none or it
// already is natlab's link for this very node (one a killed natlab left).
std::string netns_etc_taken(const std::string& lab, const std::string& node);

// Makes /etc/netns if need be and every node's link. Throws KernelError
// naming the entry. `where_possible`: a lab without root makes what the
// machine lets it and skips the rest (without /etc/netns there is nowhere
// to write).
void link_netns_etc(const Lab& lab, bool where_possible);

// Removes every link of lab `lab` there is, found by its name and target
// (so also after a crash, without state); returns the paths removed.
std::vector<std::string> unlink_netns_etc(const std::string& lab);

// Labs whose links outlived them: natlab's links made before this boot whose
// target is gone (their /run went with the reboot). A link made since the
// boot whose target is not here may belong to a lab in another mount
// namespace's /run, and is left to 'natlab clean LAB'.
std::vector<std::string> labs_of_stale_netns_etc();

}  // namespace natlab
