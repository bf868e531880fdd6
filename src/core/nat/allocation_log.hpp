#pragma once
// The allocation log a CGN operator keeps: which subscriber held which
// external address and ports, from when. With deterministic port blocks
// (RFC 7422) it is the block table itself, valid from the moment the rules
// were loaded. Pure.
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/nat/port_blocks.hpp"

namespace natlab {

struct AllocationLog {
    std::string nat;
    std::string since;  // ISO 8601, UTC: when the blocks were loaded
    std::vector<PortBlock> blocks;
    std::map<IpAddress, long> refused;  // subscriber -> new flows refused (its block full)
};

// "SUBSCRIBER EXTERNAL PORTS SINCE REFUSED" lines under a heading.
std::string render_allocation_log(const AllocationLog& log);
// One JSON object per line: {"nat", "subscriber", "external", "ports", "since", "refused"}.
std::string allocation_log_json_lines(const AllocationLog& log);

// subscriber -> packets, from `nft -j list set ip natlab exhausted`.
std::map<IpAddress, long> parse_exhausted(const std::string& set_json);

}  // namespace natlab
