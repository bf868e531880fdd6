#pragma once
// A node's conntrack table as its events tell it, kept by natlab serve so
// that a page's view costs no dump of the kernel's table: a dump to start
// with, then every NEW, UPDATE and DESTROY laid over it. Pure.
#include <chrono>
#include <map>
#include <string>
#include <tuple>
#include <vector>

#include "core/conntrack/flow.hpp"

namespace natlab {

class FlowTable {
  public:
    using Clock = std::chrono::steady_clock;

    void replace(const std::vector<ConntrackFlow>& dump, Clock::time_point now);
    void apply(const ConntrackFlow& event, Clock::time_point now);

    // The flows alive at `now`, each timeout counted down from when it was
    // reported; flows whose timeout ran out without a DESTROY are left out.
    std::vector<ConntrackFlow> flows(Clock::time_point now) const;
    std::size_t size() const { return flows_.size(); }

  private:
    using Key = std::tuple<std::string, Endpoint, Endpoint>;  // protocol, original src, dst
    struct Seen {
        ConntrackFlow flow;
        Clock::time_point at;
    };
    std::map<Key, Seen> flows_;
};

}  // namespace natlab
