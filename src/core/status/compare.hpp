#pragma once
// A live lab compared with what its topology says it must hold: every node's
// namespace, interfaces, addresses, routes and container, each difference a
// problem in words. Pure: the kernel side only takes the snapshots.
#include <map>
#include <nlohmann/json.hpp>
#include <string>

#include "core/status/snapshot.hpp"
#include "core/topology/lab.hpp"

namespace natlab {

struct LabRecord {
    std::string source;     // the topology file it was made from
    bool complete = false;  // its create finished
};

// The shape 'natlab status --json' prints: {"lab", "source", "complete",
// "healthy", "problems", "nodes": [...]}. A node missing from `snapshots`
// counts as a missing namespace.
nlohmann::json compare_lab(const Lab& lab, const LabRecord& record,
                           const std::map<std::string, NodeSnapshot>& snapshots);

// "default via 10.0.1.1", "10.9.0.0/16 via 10.0.1.254".
std::string route_text(const RouteInfo& route);

}  // namespace natlab
