#pragma once
// natlab punch on a live lab: a real hole-punching attempt between two hosts,
// with each NAT's mapping towards the other peer read from its conntrack
// table, judged against theory.
#include <string>

#include "core/punch/punch_report.hpp"

namespace natlab {

// Throws InvalidInput unless both are hosts of the lab behind different NATs.
// Over IPv6 the hosts punch between their IPv6 addresses, through their
// NATs' IPv6 sides.
PunchRun punch_hosts(const Lab& lab, const std::string& a, const std::string& b,
                     Family family = Family::ipv4);

// The attempt itself, for hosts known to be fit for it.
PunchRun punch_pair(const Lab& lab, const std::string& a, const std::string& b,
                    Family family = Family::ipv4);

}  // namespace natlab
