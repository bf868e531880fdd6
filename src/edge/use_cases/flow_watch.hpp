#pragma once
// natlab watch: a live lab node's conntrack events as they come, with the
// lab's address book to name endpoints by node.
#include <functional>
#include <memory>
#include <string>

#include "core/conntrack/describe_flow.hpp"
#include "core/conntrack/port_usage.hpp"
#include "edge/system/fd.hpp"

namespace natlab {

class ConntrackSocket;

class FlowWatch {
  public:
    // Throws InvalidInput naming the lab's nodes when `node` is not one.
    FlowWatch(const std::string& lab, const std::string& node);
    ~FlowWatch();
    FlowWatch(const FlowWatch&) = delete;
    FlowWatch& operator=(const FlowWatch&) = delete;

    const std::string& netns() const { return netns_; }
    const AddressBook& names() const { return names_; }

    // Waits up to timeout_ms and hands every event to on_flow; false when the
    // kernel dropped events that came faster than they were read.
    bool read(int timeout_ms, const std::function<void(const ConntrackFlow&)>& on_flow);

    // A NAT node's port usage and refused flows now; none for other nodes
    // and for the kernel's plain masquerade.
    std::optional<PortUsage> port_usage() const;

  private:
    std::string netns_;
    UniqueFd netns_fd_;
    std::optional<NatNode> nat_;
    AddressBook names_;
    std::unique_ptr<ConntrackSocket> events_;
};

}  // namespace natlab
