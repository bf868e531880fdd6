#include "edge/use_cases/flow_watch.hpp"

#include "core/names/netns_name.hpp"
#include "core/topology/node_lookup.hpp"
#include "core/util/text.hpp"
#include "edge/kernel/conntrack.hpp"
#include "edge/kernel/netns.hpp"
#include "edge/use_cases/live_lab.hpp"
#include "edge/use_cases/nat_mappings.hpp"
#include "edge/use_cases/node_netns.hpp"

namespace natlab {

FlowWatch::FlowWatch(const std::string& lab, const std::string& node)
    : netns_(netns_name(lab, node)) {
    LoadedLab loaded = load_live_lab(lab);
    require_node(loaded.lab, node, "natlab watch");
    netns_fd_ = open_node_netns(lab, node);
    names_ = address_book(loaded.lab);
    nat_ = loaded.lab.find_node(node)->nat;
    NetnsGuard guard(netns_fd_.get(), netns_);
    events_ = std::make_unique<ConntrackSocket>(true);
}

std::optional<PortUsage> FlowWatch::port_usage() const {
    if (!nat_) return std::nullopt;
    NetnsGuard guard(netns_fd_.get(), netns_);
    return read_port_usage(*nat_);
}

FlowWatch::~FlowWatch() = default;

bool FlowWatch::read(int timeout_ms, const std::function<void(const ConntrackFlow&)>& on_flow) {
    return events_->read_events(timeout_ms, on_flow);
}

}  // namespace natlab
