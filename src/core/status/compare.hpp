#pragma once
// A live lab compared with what its topology says it must hold: every node's
// namespace, interfaces, addresses, routes and container, each difference a
// problem in words. Pure: the kernel side only takes the snapshots.
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "core/status/snapshot.hpp"
#include "core/topology/lab.hpp"

namespace natlab {

// A change the journal says was begun and never made (natlab killed
// midway), or is being made now.
struct UnfinishedChange {
    std::string node;
    std::string command;             // as typed: "natlab set LAB nat0 type=symmetric"
    bool nat = false;                // a NAT's keys; else a link end's
    std::optional<int> running_pid;  // the natlab making it, while it runs
};

struct LabRecord {
    std::string source;     // the topology file it was made from
    bool complete = false;  // its create finished
    std::optional<UnfinishedChange> unfinished;
};

// The shape 'natlab status --json' prints: {"lab", "source", "complete",
// "healthy", "problems", "nodes": [...]}. A node missing from `snapshots`
// counts as a missing namespace. A NAT's live rules are judged against the
// declared ones, and against the unfinished change's where it is the NAT's.
nlohmann::json compare_lab(const Lab& lab, const LabRecord& record,
                           const std::map<std::string, NodeSnapshot>& snapshots);

// "default via 10.0.1.1", "10.9.0.0/16 via 10.0.1.254"; the device where the
// gateway does not name it: "default via fe80::1 dev wan", "2001:db8::5/128 dev lan".
std::string route_text(const RouteInfo& route, const std::string& device);

}  // namespace natlab
